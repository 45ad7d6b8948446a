// Writing a file so that no reader ever sees half of it, and a failed write never replaces a good file:
// write to a temporary name in the same folder, check every write, flush and close, fsync, then rename over
// the final name, but only where the final name is a regular file or nothing. A symlink is written through
// to its target (the link stays a link).
#pragma once

#include <cstddef>
#include <string>

namespace nst {

class AtomicFile {
public:
    // Resolves symlinks in `final_path`, then chooses "<dir>/.<name>.partial-<pid>-<n>"; creates nothing yet.
    explicit AtomicFile(std::string final_path);
    ~AtomicFile();  // removes the temporary file unless commit() succeeded
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    const std::string& temp_path() const noexcept { return temp_; }
    const std::string& final_path() const noexcept { return final_; }  // as given (for messages)
    // fsyncs the temporary file, checks that the target is a regular file or absent, renames; nst::Error
    // (naming the file and strerror) if any step fails, leaving the old file as it was.
    void commit();

private:
    std::string final_;
    std::string target_;  // final_ with symlinks resolved: what the rename replaces
    std::string temp_;
    bool committed_ = false;
};

// Writes `bytes` to `path` through an AtomicFile, checking every step (a full disk is an nst::Error and
// the previous file at `path` stays intact).
void write_file_atomically(const std::string& path, const void* bytes, std::size_t size);

// Throws nst::Error unless `path` can be written as an output: its folder exists and accepts a new file
// (checked by creating and removing a probe, so permissions, read-only mounts and missing folders show up),
// and whatever `path` names now (after symlinks) is a regular file or nothing.
void check_writable_folder(const std::string& path);

// Throws nst::Error ("<output_role> '<output>' is the same file as <input_role> '<input>'") when writing
// `output` would overwrite `input` (same file after symlinks and hard links; either may be empty = unused).
void check_not_same_file(const std::string& output, const std::string& output_role, const std::string& input,
                         const std::string& input_role);

}  // namespace nst
