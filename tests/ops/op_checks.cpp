#include "op_checks.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>

namespace nst::test {

std::unique_ptr<Backend> cpu_backend(GramMethod gram, int threads) {
    BackendOptions o;
    o.gram = gram;
    o.cpu_threads = threads;
    return make_cpu_backend(o);
}

Pair backends(Precision precision, GramMethod gram) {
    BackendOptions o;
    o.precision = precision;
    o.gram = gram;
    return {make_cuda_backend(o), make_cpu_backend(o)};
}

double compare(const std::string& what, const std::vector<float>& gpu, const std::vector<float>& cpu) {
    REQUIRE(gpu.size() == cpu.size());
    double diff = 0.0, norm = 0.0, worst = -1.0;
    std::size_t at = 0;
    for (std::size_t i = 0; i < cpu.size(); ++i) {
        const double d = double(gpu[i]) - cpu[i];
        if (std::isnan(d)) {
            worst = INFINITY;
            at = i;
            diff = INFINITY;
            break;
        }
        diff += d * d;
        norm += double(cpu[i]) * cpu[i];
        if (std::abs(d) > worst) {
            worst = std::abs(d);
            at = i;
        }
    }
    const double rel = norm > 0 ? std::sqrt(diff / norm) : std::sqrt(diff);
    std::printf("%-58s rel %.2e  worst |d| %.2e at %zu (gpu %.8g, cpu %.8g)\n", what.c_str(), rel, worst, at,
                double(gpu[at]), double(cpu[at]));
    return rel;
}

bool bit_identical(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

std::vector<float> run(Backend& b, const std::vector<std::vector<float>>& inputs, std::size_t out_count, const Op& op) {
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
    CHECK(compare(name, gpu1, cpu) <= tolerance);
    CHECK(bit_identical(gpu1, gpu2));
}

double project(const Vec& v, const std::vector<float>& r) {
    double s = 0.0;
    for (std::size_t i = 0; i < v.size(); ++i) s += v[i] * r[i];
    return s;
}

std::string conv_name(const char* op, const ConvShape& s) {
    return std::string(op) + " " + std::to_string(s.batch) + "x" + std::to_string(s.in_channels) + "x" +
           std::to_string(s.height) + "x" + std::to_string(s.width) + "->" + std::to_string(s.out_channels);
}

std::size_t in_size(const ConvShape& s) {
    return std::size_t(s.batch) * s.in_channels * s.height * s.width;
}

std::size_t out_size(const ConvShape& s) {
    return std::size_t(s.batch) * s.out_channels * s.height * s.width;
}

}  // namespace nst::test
