// Compiled once per test executable: NST_TEST_EMULATED_DEVICE is 1 in the emulated-device build.
#include "device_kind.hpp"

namespace nst::test {

bool emulated_device() {
    return NST_TEST_EMULATED_DEVICE != 0;
}

}  // namespace nst::test
