// ResNet-50 on a backend: the activations of one batch (up to the spec's batch size), the forward pass
// (batch normalisation in training or inference mode), the loss and the backward pass into a gradient arena.
// The parameters live in arenas the caller owns (resnet_parameters.hpp's layout); nothing is allocated after
// construction. Private to libnst; nst::ResNetTrainer (nst/train.hpp) is the public face.
#pragma once

#include <memory>

#include "core/op_backend.hpp"
#include "nst/resnet.hpp"
#include "train/resnet_parameters.hpp"

namespace nst {

class ResNetNetwork {
public:
    // params and grads: the trainable arena and its gradient; state: the moving statistics (backend memory).
    ResNetNetwork(OpBackend& backend, const ResNetSpec& spec, const ParameterLayout& layout, float* params, float* grads,
                  float* state);
    ~ResNetNetwork();
    // The floats a network of this spec allocates (its activations and the backward's buffers): what the
    // constructor allocates, for memory estimates.
    static std::size_t floats(const ResNetSpec& spec);
    ResNetNetwork(const ResNetNetwork&) = delete;
    ResNetNetwork& operator=(const ResNetNetwork&) = delete;

    // Plans every convolution of a batch of n images, so that the loop does not.
    void prepare(int n);
    // images: n x 3 x S x S (backend memory). Training mode normalises with the batch's statistics and
    // updates the moving ones; inference mode uses the moving ones. The logits stay in logits().
    void forward(const float* images, int n, bool training);
    // The softmax cross-entropy of the last forward against labels (n floats, backend memory):
    // scalars[0] = the mean loss, scalars[1] = the number of correct rows; keeps the logits' gradient.
    void loss(const float* labels, int n, float* scalars);
    // After forward(training) and loss(): every parameter's gradient into the gradient arena (set).
    void backward(const float* images, int n);
    const float* logits() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace nst
