// One training step of ResNet-50 (nst/train.hpp) on CIFAR-sized images: forward with the batch's statistics,
// loss, backward and Adam over all parameters. "compute": the step alone on a batch already on the backend
// (what the device does per step); "with_io": as nst train runs it, the batch uploaded from the host and the
// loss downloaded. Counters: images/s and the backend's peak memory.
#include "bench.hpp"
#include "nst/train.hpp"

namespace nst::bench {

void register_train_step(Device device, const std::string& prefix, int batch, Precision precision) {
    const std::string base = prefix + "/train_step/" + (precision == Precision::Tf32 ? "tf32" : "fp32") + "/b" +
                             std::to_string(batch);
    for (bool io : {false, true})
        add(base + (io ? "/with_io" : "/compute"), [=](benchmark::State& st) {
            OpBackend& b = backend(device, precision);
            TrainOptions o;
            o.batch = batch;
            ResNetTrainer trainer(b, ResNetConfig{}, o);
            const Dataset data = synthetic_cifar(batch, 0, 1);
            const std::vector<std::uint32_t> order = epoch_order(batch, 0, 1, false);
            trainer.train_step(data.train, order, 0, batch);  // warm-up; leaves the batch on the backend
            for (auto _ : st) {
                if (io)
                    st.SetIterationTime(b.time_ms([&] { trainer.train_step(data.train, order, 0, batch); }) / 1e3);
                else
                    st.SetIterationTime(b.time_ms([&] { trainer.train_step_in_place(batch); }) / 1e3);
            }
            st.counters["images_per_s"] = benchmark::Counter(batch, benchmark::Counter::kIsIterationInvariantRate);
            st.counters["peak_MiB"] = static_cast<double>(b.peak_memory()) / (1024.0 * 1024.0);
        });
}

}  // namespace nst::bench
