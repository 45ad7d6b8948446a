// The environment report behind `nst --version`.
#include <catch2/catch.hpp>

#include "core/cuda_environment.hpp"
#include "nst/environment.hpp"
#include "nst/version.hpp"

TEST_CASE("version numbers are formatted in both cuDNN schemes", "[environment][config]") {
    CHECK(nst::format_cudnn_version(91900) == "9.19.0");
    CHECK(nst::format_cudnn_version(90102) == "9.1.2");
    CHECK(nst::format_cudnn_version(8907) == "8.9.7");
    CHECK(nst::format_cuda_version(13000) == "13.0");
    CHECK(nst::format_cuda_version(12080) == "12.8");
}

TEST_CASE("the probe finds the CPU backend's libraries and says whether CUDA is built in", "[environment][config]") {
    const nst::Environment env = nst::probe_environment();
    CHECK(env.nst_version == NST_VERSION_STRING);
    CHECK(env.cuda_built == nst::built_with_cuda());
    CHECK(env.cuda_built == (NST_WITH_CUDA != 0));
    CHECK(env.cpu_threads >= 1);
    CHECK_FALSE(env.blas.empty());
    if (env.gpus.empty()) CHECK_FALSE(env.no_gpu_reason.empty());
    // (tests/cuda/test_cuda_environment.cpp checks the CUDA libraries' versions in a CUDA build.)
}

TEST_CASE("the report names every library and each GPU or its absence", "[environment][config]") {
    nst::Environment env;
    env.nst_version = "1.2.3";
    env.build_type = "Release";
    env.cuda_architectures = "75-real,90";
    env.cuda_runtime_version = 13000;
    env.cudnn_version = 91900;
    env.cudnn_build_version = 91900;
    env.cublas_major = 13;
    env.cublas_minor = 1;
    env.blas = "OpenBLAS 0.3.21";
    env.cpu_threads = 2;
    env.no_gpu_reason = "cudaGetDeviceCount: no driver";

    std::string report = nst::format_environment(env);
    CHECK_THAT(report, Catch::Contains("libnst 1.2.3 (Release; CUDA architectures 75-real,90)"));
    CHECK_THAT(report, Catch::Contains("CUDA runtime 13.0, driver none (no CUDA driver)"));
    CHECK_THAT(report, Catch::Contains("cuDNN 9.19.0 (built against 9.19.0)"));
    CHECK_THAT(report, Catch::Contains("cuBLAS 13.1.0"));
    CHECK_THAT(report, Catch::Contains("no CUDA device — the CPU backend will be used"));

    env.cuda_driver_version = 13000;
    env.no_gpu_reason.clear();
    env.gpus.push_back({0, "NVIDIA H200", std::size_t(150) << 30, 9, 0, 132});
    report = nst::format_environment(env);
    CHECK_THAT(report, Catch::Contains("driver 13.0"));
    CHECK_THAT(report, Catch::Contains("GPU 0: NVIDIA H200, 150.0 GiB, compute capability 9.0, 132 SMs"));
    CHECK_THAT(report, !Catch::Contains("CPU backend will be used"));
}

TEST_CASE("a CPU-only build's report says so and names no CUDA library", "[environment][config]") {
    nst::Environment env;
    env.nst_version = "1.2.3";
    env.build_type = "Release";
    env.cuda_built = false;
    env.blas = "OpenBLAS 0.3.21";
    env.cpu_threads = 2;
    env.no_gpu_reason = "libnst was built without CUDA (NST_WITH_CUDA=OFF)";
    const std::string report = nst::format_environment(env);
    CHECK_THAT(report, Catch::Contains("libnst 1.2.3 (Release; CPU only, built without CUDA)"));
    CHECK_THAT(report, Catch::Contains("CPU backend: OpenBLAS 0.3.21, 2 OpenMP threads"));
    CHECK_THAT(report, Catch::Contains("GPU: none used — libnst was built without CUDA (NST_WITH_CUDA=OFF)"));
    CHECK_THAT(report, !Catch::Contains("cuDNN"));
    CHECK_THAT(report, !Catch::Contains("cuBLAS"));
}

TEST_CASE("any cuDNN 9 serves libnst, another major does not, and an older minor is named", "[environment]") {
    using nst::detail::cudnn_older_note;
    using nst::detail::cudnn_refusal;
    CHECK(cudnn_refusal(91900, 91900).empty());
    CHECK(cudnn_refusal(92000, 91900).empty());
    CHECK(cudnn_refusal(90000, 91900).empty());  // libnst calls only what 9.0 has
    CHECK(cudnn_refusal(100000, 91900) ==
          "the loaded cuDNN 10.0.0 cannot serve libnst, built against cuDNN 9.19.0 (it needs cuDNN 9.x)");
    CHECK_FALSE(cudnn_refusal(8907, 91900).empty());
    CHECK(cudnn_older_note(91900, 91900).empty());
    CHECK(cudnn_older_note(92001, 91900).empty());
    CHECK(cudnn_older_note(100000, 91900).empty());  // refused, not noted
    CHECK(cudnn_older_note(90800, 91900).rfind("older than the 9.19.0 libnst was built against", 0) == 0);
}
