// What every tests/ops/test_<op>.cpp shares: backends, and the GPU-vs-CPU check. An op's GPU result is
// compared with the CPU backend's on the same seeded inputs, outputs poisoned with NaN before each run, and
// two GPU runs compared bit for bit. Two bounds hold: the relative L2 error ‖gpu−cpu‖/‖cpu‖ within the
// tolerance (1e-5 in strict FP32 unless a test says why it needs another), and the worst element within ten
// times the tolerance of the largest |cpu| value (one wrong element among 67 million barely moves the L2
// error, but shows here). Each comparison prints one machine-readable line for scripts/gpu-check.sh:
//   RESULT|<what>|rel=<relative L2>|worst=<worst |gpu−cpu|>|max=<largest |cpu|>|tolerance=<tolerance>
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "core/op_backend.hpp"

namespace nst::test {

constexpr double kStrict = 1e-5;

// Finite-difference checks (CPU, in double): central differences with step kH carry ~1e-7 error at the
// tests' sizes and the float32 analytic gradient ~1e-6 relative; both must agree within kGradTolerance of
// the largest component. Points are kept away from ReLU's and max-pooling's kinks.
constexpr double kH = 1e-3;
constexpr double kGradTolerance = 1e-4;

// Σ r ⊙ v: a random linear functional that turns a vector output into a scalar loss.
double project(const Vec& v, const std::vector<float>& r);

// A CPU backend with the given Gram method and thread count (0: all cores).
std::unique_ptr<OpBackend> cpu_backend(GramMethod gram = GramMethod::Gemm, int threads = 0);

struct Pair {
    std::unique_ptr<OpBackend> gpu;
    std::unique_ptr<OpBackend> cpu;
};
Pair backends(Precision precision = Precision::Fp32, GramMethod gram = GramMethod::Gemm,
              ConvFusion fusion = ConvFusion::Auto);

struct Comparison {
    double relative_l2 = 0.0;  // ‖gpu − cpu‖ / ‖cpu‖ (0/0 = 0; infinite on a NaN)
    double worst = 0.0;        // max |gpu − cpu|
    double scale = 0.0;        // max |cpu|
};
// Compares and prints the human line and the RESULT line (see above).
Comparison compare(const std::string& what, const std::vector<float>& gpu, const std::vector<float>& cpu,
                   double tolerance);
// Both bounds, as CHECKs.
void check_close(const std::string& what, const std::vector<float>& gpu, const std::vector<float>& cpu,
                 double tolerance);
bool bit_identical(const std::vector<float>& a, const std::vector<float>& b);

// Runs `op` on a backend with inputs uploaded and the output poisoned; returns the output.
using Op = std::function<void(OpBackend&, const std::vector<Buffer>&, float* out)>;
std::vector<float> run(OpBackend& b, const std::vector<std::vector<float>>& inputs, std::size_t out_count, const Op& op);

// GPU vs CPU within `tolerance`, and GPU twice bit for bit.
void check_op(Pair& p, const std::string& name, const std::vector<std::vector<float>>& inputs, std::size_t out_count,
              const Op& op, double tolerance = kStrict);

// Shapes in words, for names: "conv 1x3x37x29->64".
std::string conv_name(const char* op, const ConvShape& s);
std::size_t in_size(const ConvShape& s);
std::size_t out_size(const ConvShape& s);

}  // namespace nst::test
