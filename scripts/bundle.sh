#!/usr/bin/env bash
# scripts/bundle.sh: builds everything a GPU host needs into one archive, out/nst-bundle.tar.xz (at most
# 40 MiB), so that one device call can test and measure without building there.
#   - a Release build for sm_90 (SASS + PTX) in build-bundle/
#   - bin/: nst, nst-bench, the test executable (its [gpu] cases are the GPU tests); lib/: libnst and the shared libraries they need (an ldd
#     closure) except libc/libm/the loader, the CUDA driver, cuDNN and cuBLAS, which the host provides
#   - fixtures/: the 1/8-channel VGG-19 fixture and test pictures
#   - bench/compare_pytorch.py, bench/compare_pytorch_resnet.py, bench/compare_pytorch_batch.py, scripts/gpu-check.sh, the bundle's own run wrapper (nst-run)
# Carry out/nst-bundle.tar.xz with the device call and run: bash scripts/gpu-check.sh "$OUT".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bash scripts/install-deps.sh >/dev/null
export PATH="${CUDA_HOME:-/usr/local/cuda}/bin:$PATH"
# Without MPI: the check runs one process per GPU host (MPI's launcher and plugins would not travel).
cmake -S . -B build-bundle -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES=90 -DNST_WITH_MPI=OFF >/dev/null
cmake --build build-bundle -j "$(nproc)"

stage=out/nst-bundle
rm -rf "$stage" && mkdir -p "$stage"/{bin,lib,fixtures,bench,scripts,tests/cli}
cp build-bundle/apps/nst build-bundle/apps/nst-bench build-bundle/tests/nst_tests \
   build-bundle/tests/nst_make_test_images build-bundle/tests/nst_image_stats "$stage/bin/"
cp bench/compare_pytorch.py bench/compare_pytorch_resnet.py bench/compare_pytorch_batch.py "$stage/bench/"
cp tests/cli/*.sh "$stage/tests/cli/"  # gpu-check runs the CLI scripts on CUDA
cp scripts/gpu-check.sh scripts/gpu-check-slices.sh "$stage/scripts/"

# The ldd closure, less what the host must provide (its driver, cuDNN 9, cuBLAS 13) and glibc's core.
# libstdc++ and libgcc_s stay the host's too: they are backward compatible, and the host's cuDNN, cuBLAS and
# PyTorch may need a newer libstdc++ than this machine's.
# glibc's companions (libresolv, libnsl, libutil, libanl) must match the host's libc exactly: leave them too.
skip='^(linux-vdso|ld-linux|libc\.so|libm\.so|libpthread|libdl\.so|librt\.so|libresolv|libnsl|libutil|libanl|libstdc\+\+|libgcc_s|libcuda\.so|libcudnn|libcublas|libnvidia)'
for bin in "$stage"/bin/*; do
  ldd "$bin" | awk '/=> \// { print $1, $3 }'
done | sort -u | while read -r name path; do
  if ! grep -Eq "$skip" <<<"$name"; then cp -L "$path" "$stage/lib/$name"; fi
done
cp -L build-bundle/lib/libnst.so.* "$stage/lib/" 2>/dev/null || true

# sysroot/: what a build on the host needs beyond its compiler, CUDA and cuDNN, for gpu-check.sh's fallback
# when the prebuilt programs cannot start there: the headers and CMake/pkg-config files of the Debian -dev
# packages libnst builds against (no static libraries, no docs), a pkg-config, and every development symlink
# (libmatio.so, libopenblas.so, ... and the -l names of matio.pc and openblas.pc) pointing into lib/.
sysroot="$stage/sysroot"
for p in libmatio-dev libstb-dev libjpeg62-turbo-dev libpng-dev zlib1g-dev catch2 libcli11-dev libbenchmark-dev libbenchmark1debian libopenblas-openmp-dev \
         pkgconf-bin libpkgconf3; do
  dpkg -L "$p" | grep -Ev '^/usr/share/(doc|man|lintian)/' | while read -r f; do
    case "$f" in *.a) case "$f" in */libCatch2WithMain.a | */libbenchmark_main.a) ;; *) continue ;; esac ;; esac
    if [ -L "$f" ] || [ -f "$f" ]; then mkdir -p "$sysroot$(dirname "$f")" && cp -P "$f" "$sysroot$f"; fi
  done
done
# link_into_lib SYSROOT_PATH SYSTEM_PATH: SYSROOT_PATH becomes a relative link to lib/'s copy of the library that
# SYSTEM_PATH resolves to on this machine (found by its SONAME).
link_into_lib() {
  local soname
  soname=$(objdump -p "$(readlink -f "$2")" 2>/dev/null | awk '$1 == "SONAME" { print $2 }')
  if [ -z "$soname" ] || [ ! -f "$stage/lib/$soname" ]; then
    rm -f "$1"  # libblas.so, liblapack.so: nothing links them
    return
  fi
  mkdir -p "$(dirname "$1")"
  ln -sfn "$(realpath -m --relative-to="$(dirname "$1")" "$stage/lib/$soname")" "$1"
}
find "$sysroot" \( -type l -o -name '*.so.*' \) | while read -r l; do
  case "$l" in */libpkgconf*) ;; *.so | *.so.*) [ -e "$l" ] && [ ! -L "$l" ] && rm "$l"; link_into_lib "$l" "${l#"$sysroot"}" ;; esac
done
for pc in matio "openblas --with-path=/usr/lib/x86_64-linux-gnu/openblas-openmp/pkgconfig"; do
  dirs=(/usr/lib/x86_64-linux-gnu)
  for tok in $(pkg-config --cflags --libs $pc); do
    case "$tok" in
      -I*) mkdir -p "$sysroot${tok#-I}" ;;  # CMake refuses an imported target whose include folder is missing
      -L*) dirs=("${tok#-L}" "${dirs[@]}") ;;
      -l*) for d in "${dirs[@]}"; do
             if [ -e "$d/lib${tok#-l}.so" ]; then link_into_lib "$sysroot$d/lib${tok#-l}.so" "$d/lib${tok#-l}.so"; break; fi
           done ;;
    esac
  done
done
mv "$sysroot/usr/bin/pkgconf" "$sysroot/usr/bin/pkgconf.bin"
cat >"$sysroot/pkg-config" <<'PKGCONF'
#!/usr/bin/env bash
# Debian's pkgconf with its library, wherever the bundle was unpacked.
here=$(cd "$(dirname "$0")" && pwd)
LD_LIBRARY_PATH="$here/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "$here/usr/bin/pkgconf.bin" "$@"
PKGCONF
chmod +x "$sysroot/pkg-config"

# Fixtures: written by the bundle's own tools, so they are exactly what the tests expect.
LD_LIBRARY_PATH="$stage/lib:${CUDA_HOME:-/usr/local/cuda}/lib:${LD_LIBRARY_PATH:-}" bash -c "
  set -e
  '$stage/bin/nst' weights write-random '$stage/fixtures/vgg19-div8.mat' --seed 1 --channel-divisor 8 >/dev/null
  '$stage/bin/nst_make_test_images' '$stage/fixtures'"

cat >"$stage/nst-run" <<'WRAP'
#!/usr/bin/env bash
# nst-run COMMAND...: runs a bundled program with the bundle's libraries, and cuDNN 9 / cuBLAS 13 from the
# host: system paths first, then pip's nvidia/*/lib folders under site-packages. Prints where it found them
# once (NST_RUN_QUIET=1 silences it).
here=$(cd "$(dirname "$0")" && pwd)
find_lib() { # find_lib SONAME: the folder that holds it
  local d
  for d in /usr/local/cuda/lib64 /usr/local/cuda/lib /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/local/lib; do
    [ -e "$d/$1" ] && { echo "$d"; return; }
  done
  d=$(ldconfig -p 2>/dev/null | awk -v n="$1" '$1 == n { print $NF; exit }')
  [ -n "$d" ] && { dirname "$d"; return; }
  for site in $(python3 -c 'import site, sys; print(" ".join(site.getsitepackages()))' 2>/dev/null) /usr/local/lib/python3*/dist-packages; do
    d=$(ls -d "$site"/nvidia/*/lib 2>/dev/null | while read -r l; do [ -e "$l/$1" ] && echo "$l"; done | head -n 1)
    [ -n "$d" ] && { echo "$d"; return; }
  done
}
cudnn=$(find_lib libcudnn.so.9)
cublas=$(find_lib libcublas.so.13)
cublaslt=$(find_lib libcublasLt.so.13)
if [ -z "${NST_RUN_QUIET:-}" ]; then
  echo "nst-run: cuDNN 9 from ${cudnn:-NOT FOUND}; cuBLAS 13 from ${cublas:-NOT FOUND}" >&2
fi
export LD_LIBRARY_PATH="$here/lib${cudnn:+:$cudnn}${cublas:+:$cublas}${cublaslt:+:$cublaslt}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
exec "$@"
WRAP
chmod +x "$stage/nst-run"
git rev-parse HEAD >"$stage/COMMIT" 2>/dev/null || echo unknown >"$stage/COMMIT"
git status --porcelain | grep -q . && echo "(with uncommitted changes)" >>"$stage/COMMIT" || true

tar -C out -cf - nst-bundle | xz -T0 -6 >out/nst-bundle.tar.xz
size=$(stat -c %s out/nst-bundle.tar.xz)
echo "bundle: out/nst-bundle.tar.xz, $((size / 1024 / 1024)) MiB ($(du -sh "$stage" | cut -f1) unpacked), commit $(head -n 1 "$stage/COMMIT")"
if [ "$size" -gt $((40 * 1024 * 1024)) ]; then echo "bundle: larger than 40 MiB" >&2; exit 1; fi
