#include "op_checks.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <algorithm>

namespace nst::test {

std::unique_ptr<OpBackend> cpu_backend(GramMethod gram, int threads) {
    BackendOptions o;
    o.gram = gram;
    o.cpu_threads = threads;
    return make_cpu_op_backend(o);
}

Pair backends(Precision precision, GramMethod gram, ConvFusion fusion) {
    BackendOptions o;
    o.precision = precision;
    o.gram = gram;
    o.fusion = fusion;
    return {make_cuda_op_backend(o), make_cpu_op_backend(o)};
}

Comparison compare(const std::string& what, const std::vector<float>& gpu, const std::vector<float>& cpu,
                   double tolerance) {
    REQUIRE(gpu.size() == cpu.size());
    Comparison c;
    double diff = 0.0, norm = 0.0;
    std::size_t at = 0;
    for (std::size_t i = 0; i < cpu.size(); ++i) {
        const double d = double(gpu[i]) - cpu[i];
        c.scale = std::max(c.scale, std::abs(double(cpu[i])));
        if (std::isnan(d)) {
            c.worst = diff = INFINITY;
            at = i;
            break;
        }
        diff += d * d;
        norm += double(cpu[i]) * cpu[i];
        if (std::abs(d) > c.worst || i == 0) {
            c.worst = std::abs(d);
            at = i;
        }
    }
    c.relative_l2 = norm > 0 ? std::sqrt(diff / norm) : std::sqrt(diff);
    std::printf("%-58s rel %.2e  worst |d| %.2e at %zu (gpu %.8g, cpu %.8g)\n", what.c_str(), c.relative_l2, c.worst,
                at, double(gpu[at]), double(cpu[at]));
    std::printf("RESULT|%s|rel=%.3e|worst=%.3e|max=%.3e|tolerance=%.1e\n", what.c_str(), c.relative_l2, c.worst, c.scale,
                tolerance);
    return c;
}

void check_close(const std::string& what, const std::vector<float>& gpu, const std::vector<float>& cpu,
                 double tolerance) {
    const Comparison c = compare(what, gpu, cpu, tolerance);
    INFO(what << ": relative L2 " << c.relative_l2 << ", worst element " << c.worst << " of " << c.scale);
    CHECK(c.relative_l2 <= tolerance);
    CHECK(c.worst <= 10.0 * tolerance * c.scale);
}

bool bit_identical(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

std::vector<float> run(OpBackend& b, const std::vector<std::vector<float>>& inputs, std::size_t out_count, const Op& op) {
    std::vector<Buffer> in;
    for (const auto& v : inputs) in.push_back(put(b, v));
    Buffer out = poisoned(b, out_count);
    op(b, in, out.data());
    return get(b, out);
}

void check_op(Pair& p, const std::string& name, const std::vector<std::vector<float>>& inputs, std::size_t out_count,
              const Op& op, double tolerance) {
    const auto cpu = run(*p.cpu, inputs, out_count, op);
    const auto gpu1 = run(*p.gpu, inputs, out_count, op);
    const auto gpu2 = run(*p.gpu, inputs, out_count, op);
    INFO(name);
    check_close(name, gpu1, cpu, tolerance);
    CHECK(bit_identical(gpu1, gpu2));
}

double project(const Vec& v, const std::vector<float>& r) {
    double s = 0.0;
    for (std::size_t i = 0; i < v.size(); ++i) s += v[i] * r[i];
    return s;
}

std::string conv_name(const char* op, const ConvShape& s) {
    return std::string(op) + " " + std::to_string(s.batch) + "x" + std::to_string(s.in_channels) + "x" +
           std::to_string(s.height) + "x" + std::to_string(s.width) + "->" + std::to_string(s.out_channels) +
           (s.kernel == 3 && s.stride == 1 && s.pad == 1
                ? std::string()
                : " k" + std::to_string(s.kernel) + "s" + std::to_string(s.stride) + "p" + std::to_string(s.pad));
}

std::size_t in_size(const ConvShape& s) {
    return s.in_size();
}

std::size_t out_size(const ConvShape& s) {
    return s.out_size();
}

}  // namespace nst::test
