// conv's one kernel (kernels/conv.cuh: the bias gradient's per-channel sum) run by the kernel harness against
// the CPU backend, set and accumulated, with fewer and more values per channel than the block's threads.
#include "../harness/kernel_checks.hpp"
#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "conv.cuh"

using namespace nst;
using namespace nst::test;

TEST_CASE("kernels: the bias gradient's channel sums equal the CPU's", "[kernels][conv]") {
    for (const ConvShape& s : {ConvShape{2, 1, 3, 5, 4}, ConvShape{3, 2, 5, 17, 13}, ConvShape{1, 1, 1, 1, 1},
                               ConvShape{4, 3, 6, 8, 8, 1, 2, 0}})
        for (bool accumulate : {false, true}) {
            const auto dy = random_floats(s.out_size(), 1), db0 = random_floats(std::size_t(s.out_channels), 2);
            auto cpu = twin();
            Buffer DY = put(*cpu, dy), DB = put(*cpu, db0);
            cpu->conv_backward_bias(s, DY.data(), DB.data(), accumulate);
            const auto want = get(*cpu, DB);
            INFO(s.out_channels << " channels, accumulate " << accumulate);
            for_each_schedule([&] {
                Guarded<float> DYk(dy), DBk(db0);
                kernels::channel_sum(DYk.data(), s.batch, s.out_channels, std::size_t(s.out_height()) * s.out_width(),
                                     accumulate, DBk.data(), nullptr);
                CHECK(relative_max_error(DBk.values(), to_double(want)) < 1e-6);
                CHECK((DYk.guards_intact() && DBk.guards_intact()));
            });
        }
}
