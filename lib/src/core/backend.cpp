#include "nst/backend.hpp"

#include "core/op_backend.hpp"

#include <utility>

namespace nst {

void Buffer::reset() noexcept {
    if (data_ != nullptr && release_ != nullptr) release_(data_, size_, context_.get());
    data_ = nullptr;
    size_ = 0;
    release_ = nullptr;
    context_.reset();
}

Buffer::~Buffer() {
    reset();
}

Buffer::Buffer(Buffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      release_(std::exchange(other.release_, nullptr)),
      context_(std::move(other.context_)) {}

Buffer& Buffer::operator=(Buffer&& other) noexcept {
    if (this != &other) {
        reset();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
        release_ = std::exchange(other.release_, nullptr);
        context_ = std::move(other.context_);
    }
    return *this;
}

std::unique_ptr<OpBackend> make_op_backend(Device device, const BackendOptions& options) {
    return device == Device::Cuda ? make_cuda_op_backend(options) : make_cpu_op_backend(options);
}

std::unique_ptr<Backend> make_cpu_backend(const BackendOptions& options) {
    return make_cpu_op_backend(options);
}

std::unique_ptr<Backend> make_cuda_backend(const BackendOptions& options) {
    return make_cuda_op_backend(options);
}

std::unique_ptr<Backend> make_backend(Device device, const BackendOptions& options) {
    return make_op_backend(device, options);
}

}  // namespace nst
