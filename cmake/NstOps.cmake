# libnst's ops, each named once. An op's name is its file stem in every home; every source list, test list,
# nst-bench registration and script pattern is derived from this list (cmake/NstOpHomes.cmake checks it at
# configure time and in the ctest one_home_per_op; scripts/ops.sh reads it for the scripts).
#
# Every op has:
#   kernels/<op>.cu                   the CUDA backend's members for it (cuDNN and cuBLAS calls, launches)
#   lib/src/cpu/<op>.cpp              its CPU twin, the reference every GPU result is compared with
#   tests/ops/test_<op>.cpp           CPU against a double reference, finite differences, [gpu] against the CPU
# and, where the flags say so:
#   KERNELS  kernels/<op>.cuh (hand-written kernels and launchers, no cuDNN) and
#            tests/ops/test_<op>_kernels.cpp (those kernels run on the CPU by the kernel harness)
#   SHARED   lib/src/shared/<op>.hpp (the element formula both backends compile)
#   BENCH    apps/nst-bench/ops/<op>.cpp (nst-bench's <backend>/<op>/<shape>[/<variant>])
#   MUTANTS  lines in tests/ops/kernel_mutants.txt naming kernels/<op>.cuh (broken kernels the kernel tests
#            must catch: scripts/kernel-mutants.sh)
#
# The order is nst-bench's: a VGG-19 pass and its losses, the optimisers and images, then training.
#
#      name                   homes beyond the three              what it computes
nst_op(conv                   KERNELS        BENCH MUTANTS  "convolution of any kernel and stride: forward, backward-data, backward-filter, bias gradient")
nst_op(crop                   KERNELS SHARED BENCH MUTANTS  "a window of a feature map and its adjoint (the tiles of a tiled transfer)")
nst_op(relu                                  BENCH          "ReLU's backward (cuDNN)")
nst_op(pool                   KERNELS SHARED BENCH MUTANTS  "2x2 average or max pooling with TensorFlow's SAME padding")
nst_op(gram                   KERNELS        BENCH MUTANTS  "Gram matrices and the style loss")
nst_op(content_loss           KERNELS SHARED BENCH MUTANTS  "the content loss and its gradient")
nst_op(tv_loss                KERNELS SHARED BENCH MUTANTS  "total variation and its gradient")
nst_op(temporal_loss          KERNELS SHARED BENCH MUTANTS  "Ruder et al.'s short-term temporal loss (video)")
nst_op(reduce                 KERNELS        BENCH MUTANTS  "deterministic sums, dot products and squared differences")
nst_op(vector                 KERNELS        BENCH MUTANTS  "fill, axpy, scale and L-BFGS's scalars in backend memory")
nst_op(adam                   KERNELS SHARED BENCH MUTANTS  "Adam's step (TensorFlow 1's or PyTorch's)")
nst_op(image                  KERNELS SHARED BENCH MUTANTS  "pictures to tensors and back, the notebook's noise start")
nst_op(batch_norm             KERNELS SHARED BENCH MUTANTS  "batch normalisation: training, inference, backward, ReLU fused")
nst_op(add                    KERNELS SHARED BENCH MUTANTS  "the residual add, ReLU optional")
nst_op(max_pool                              BENCH          "max pooling of any window, stride and padding (cuDNN)")
nst_op(global_avg_pool        KERNELS        BENCH MUTANTS  "global average pooling and its backward")
nst_op(dense                  KERNELS        BENCH MUTANTS  "dense layers (cuBLAS) and their bias kernels")
nst_op(softmax_cross_entropy  KERNELS SHARED BENCH MUTANTS  "softmax cross-entropy from logits, accuracy, gradient")
nst_op(sgd                    KERNELS SHARED BENCH MUTANTS  "Keras's SGD step with momentum")
