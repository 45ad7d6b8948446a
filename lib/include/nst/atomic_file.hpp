// Writing a file so that no reader ever sees half of it: write to a temporary name in the same folder,
// then rename over the final name.
#pragma once

#include <string>

namespace nst {

class AtomicFile {
public:
    // Chooses "<dir>/.<name>.partial-<pid>-<n>"; creates nothing yet.
    explicit AtomicFile(std::string final_path);
    ~AtomicFile();  // removes the temporary file unless commit() succeeded
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    const std::string& temp_path() const noexcept { return temp_; }
    const std::string& final_path() const noexcept { return final_; }
    // Renames the temporary file to the final name; nst::Error (with strerror) if that fails.
    void commit();

private:
    std::string final_;
    std::string temp_;
    bool committed_ = false;
};

// Throws nst::Error unless a file could be created in the folder of `path` (checked by creating and
// removing a probe file, so permissions, read-only mounts and missing folders all show up).
void check_writable_folder(const std::string& path);

}  // namespace nst
