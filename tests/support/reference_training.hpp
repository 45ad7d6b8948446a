// Textbook implementations of the training ops in double (ResNet-50's: batch normalisation, max pooling,
// global average pooling, dense, softmax cross-entropy), written for clarity, not speed: the references the
// CPU backend is tested against. Layouts as in nst/backend.hpp.
#pragma once

#include <vector>

#include "core/op_backend.hpp"
#include "reference_ops.hpp"

namespace nst::test {

struct BatchNormReference {
    Vec y;         // the normalised output (after the ReLU when asked)
    Vec mean;      // per channel
    Vec variance;  // per channel, biased
};
BatchNormReference batch_norm(const BatchNormShape& s, const Vec& x, const Vec& gamma, const Vec& beta, double epsilon,
                              bool relu);
Vec batch_norm_inference(const BatchNormShape& s, const Vec& x, const Vec& gamma, const Vec& beta, const Vec& mean,
                         const Vec& variance, double epsilon, bool relu);
// The training forward's gradients of <dy, y>: dx, dγ, dβ (the textbook formula, through the ReLU's mask).
struct BatchNormGradients {
    Vec dx, dgamma, dbeta;
};
BatchNormGradients batch_norm_gradients(const BatchNormShape& s, const Vec& x, const Vec& gamma, const Vec& beta,
                                        const Vec& dy, double epsilon, bool relu);

// Max over each window's pixels inside the image.
Vec max_pool(const MaxPoolShape& s, const Vec& x);
Vec global_avg_pool(int batch, int channels, int pixels, const Vec& x);
// y = x w + b; x: batch x inputs, w: inputs x outputs.
Vec dense(int batch, int inputs, int outputs, const Vec& x, const Vec& w, const Vec& b);
// The mean cross-entropy of softmax(logits) against the labels; *correct: rows whose label is the first
// maximum; *dlogits (if given): (softmax − onehot) / batch.
double softmax_cross_entropy(int batch, int classes, const Vec& logits, const std::vector<float>& labels,
                             int* correct, Vec* dlogits);

}  // namespace nst::test
