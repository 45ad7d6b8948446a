#include "reference_training.hpp"

#include <algorithm>
#include <cmath>

namespace nst::test {

namespace {

// Index of value k (batch first, then pixels) of channel c.
std::size_t at(const BatchNormShape& s, int c, std::size_t k) {
    return (k / s.plane() * s.channels + std::size_t(c)) * s.plane() + k % s.plane();
}

}  // namespace

BatchNormReference batch_norm(const BatchNormShape& s, const Vec& x, const Vec& gamma, const Vec& beta, double epsilon,
                              bool relu) {
    BatchNormReference r{Vec(x.size()), Vec(std::size_t(s.channels)), Vec(std::size_t(s.channels))};
    const std::size_t n = s.per_channel();
    for (int c = 0; c < s.channels; ++c) {
        double mean = 0.0, var = 0.0;
        for (std::size_t k = 0; k < n; ++k) mean += x[at(s, c, k)] / double(n);
        for (std::size_t k = 0; k < n; ++k) var += (x[at(s, c, k)] - mean) * (x[at(s, c, k)] - mean) / double(n);
        for (std::size_t k = 0; k < n; ++k) {
            const double y = gamma[std::size_t(c)] * (x[at(s, c, k)] - mean) / std::sqrt(var + epsilon) + beta[std::size_t(c)];
            r.y[at(s, c, k)] = relu ? std::max(y, 0.0) : y;
        }
        r.mean[std::size_t(c)] = mean;
        r.variance[std::size_t(c)] = var;
    }
    return r;
}

Vec batch_norm_inference(const BatchNormShape& s, const Vec& x, const Vec& gamma, const Vec& beta, const Vec& mean,
                         const Vec& variance, double epsilon, bool relu) {
    Vec y(x.size());
    for (int c = 0; c < s.channels; ++c)
        for (std::size_t k = 0; k < s.per_channel(); ++k) {
            const std::size_t i = at(s, c, k), ci = std::size_t(c);
            const double v = gamma[ci] * (x[i] - mean[ci]) / std::sqrt(variance[ci] + epsilon) + beta[ci];
            y[i] = relu ? std::max(v, 0.0) : v;
        }
    return y;
}

BatchNormGradients batch_norm_gradients(const BatchNormShape& s, const Vec& x, const Vec& gamma, const Vec& beta,
                                        const Vec& dy, double epsilon, bool relu) {
    const BatchNormReference f = batch_norm(s, x, gamma, beta, epsilon, relu);
    BatchNormGradients g{Vec(x.size()), Vec(std::size_t(s.channels), 0.0), Vec(std::size_t(s.channels), 0.0)};
    const double n = double(s.per_channel());
    for (int c = 0; c < s.channels; ++c) {
        const std::size_t ci = std::size_t(c);
        const double inv_std = 1.0 / std::sqrt(f.variance[ci] + epsilon);
        auto masked = [&](std::size_t i) { return relu && !(f.y[i] > 0.0) ? 0.0 : dy[i]; };
        for (std::size_t k = 0; k < s.per_channel(); ++k) {
            const std::size_t i = at(s, c, k);
            g.dbeta[ci] += masked(i);
            g.dgamma[ci] += masked(i) * (x[i] - f.mean[ci]) * inv_std;
        }
        for (std::size_t k = 0; k < s.per_channel(); ++k) {
            const std::size_t i = at(s, c, k);
            const double x_hat = (x[i] - f.mean[ci]) * inv_std;
            g.dx[i] = gamma[ci] * inv_std * (masked(i) - g.dbeta[ci] / n - x_hat * g.dgamma[ci] / n);
        }
    }
    return g;
}

Vec max_pool(const MaxPoolShape& s, const Vec& x) {
    const int OH = s.out_height(), OW = s.out_width();
    Vec y(s.out_size());
    for (int p = 0; p < s.batch * s.channels; ++p)
        for (int i = 0; i < OH; ++i)
            for (int j = 0; j < OW; ++j) {
                double best = -INFINITY;
                for (int h = i * s.stride - s.pad; h < i * s.stride - s.pad + s.window; ++h)
                    for (int w = j * s.stride - s.pad; w < j * s.stride - s.pad + s.window; ++w)
                        if (h >= 0 && h < s.height && w >= 0 && w < s.width)
                            best = std::max(best, x[(std::size_t(p) * s.height + h) * s.width + w]);
                y[(std::size_t(p) * OH + i) * OW + j] = best;
            }
    return y;
}

Vec global_avg_pool(int batch, int channels, int pixels, const Vec& x) {
    Vec y(std::size_t(batch) * channels, 0.0);
    for (std::size_t p = 0; p < y.size(); ++p)
        for (int j = 0; j < pixels; ++j) y[p] += x[p * std::size_t(pixels) + std::size_t(j)] / pixels;
    return y;
}

Vec dense(int batch, int inputs, int outputs, const Vec& x, const Vec& w, const Vec& b) {
    Vec y(std::size_t(batch) * outputs);
    for (int n = 0; n < batch; ++n)
        for (int o = 0; o < outputs; ++o) {
            double acc = b[std::size_t(o)];
            for (int i = 0; i < inputs; ++i)
                acc += x[std::size_t(n) * inputs + std::size_t(i)] * w[std::size_t(i) * outputs + std::size_t(o)];
            y[std::size_t(n) * outputs + std::size_t(o)] = acc;
        }
    return y;
}

double softmax_cross_entropy(int batch, int classes, const Vec& logits, const std::vector<float>& labels, int* correct,
                             Vec* dlogits) {
    double loss = 0.0;
    if (correct != nullptr) *correct = 0;
    if (dlogits != nullptr) dlogits->assign(logits.size(), 0.0);
    for (int n = 0; n < batch; ++n) {
        const double* z = logits.data() + std::size_t(n) * classes;
        const int label = static_cast<int>(labels[std::size_t(n)]);
        double sum = 0.0;
        for (int k = 0; k < classes; ++k) sum += std::exp(z[k]);
        loss += (std::log(sum) - z[label]) / batch;
        if (correct != nullptr && std::max_element(z, z + classes) - z == label) ++*correct;
        if (dlogits != nullptr)
            for (int k = 0; k < classes; ++k)
                (*dlogits)[std::size_t(n) * classes + std::size_t(k)] = (std::exp(z[k]) / sum - (k == label)) / batch;
    }
    return loss;
}

}  // namespace nst::test
