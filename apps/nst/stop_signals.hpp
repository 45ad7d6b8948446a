// SIGINT, SIGTERM and SIGHUP (Ctrl-C, `kill`, systemd and batch schedulers, a closed terminal) all ask a
// run to stop the same way: the current step ends, the output and log are saved, and nst exits 128 + the
// signal's number. SIGXFSZ is ignored, so a file-size limit makes a write fail (and be reported) instead
// of killing the process mid-file.
#pragma once

#include <atomic>
#include <string>

namespace nst::app {

// Installs the handlers (idempotent). Call before the work starts.
void install_stop_handlers();
// True once any of the three signals arrived.
const std::atomic<bool>& stop_requested();
// 128 + the signal's number (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP); 0 before any.
int stop_exit_code();
// "interrupted" (SIGINT), "terminated" (SIGTERM), "hung up" (SIGHUP).
std::string stop_reason();

}  // namespace nst::app
