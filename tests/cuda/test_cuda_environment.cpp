// The environment probe in a CUDA build: the CUDA libraries' versions are the ones libnst was built with.
#include <catch2/catch.hpp>

#include <cudnn.h>

#include "nst/environment.hpp"

TEST_CASE("the probe finds the CUDA libraries libnst was built with", "[environment][config]") {
    const nst::Environment env = nst::probe_environment();
    CHECK(env.cuda_built);
    CHECK(env.cudnn_build_version == CUDNN_VERSION);
    CHECK(env.cudnn_version / 10000 == 9);
    CHECK(env.cuda_runtime_version >= 12000);
    CHECK(env.cublas_major >= 12);
}
