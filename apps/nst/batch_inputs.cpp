// nst batch's inputs: listing, output names, and the checks made before any work.
#include "batch_inputs.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>

#include "nst/atomic_file.hpp"
#include "nst/error.hpp"
#include "nst/image.hpp"

namespace fs = std::filesystem;

namespace nst::app {

namespace {

bool is_image_name(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp" || ext == ".tga";
}

std::vector<std::string> folder_inputs(const fs::path& dir) {
    std::vector<std::string> found;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec) && is_image_name(it->path())) found.push_back(it->path().string());
    if (ec) throw Error("--inputs '" + dir.string() + "': cannot read the folder: " + ec.message());
    std::sort(found.begin(), found.end());
    return found;
}

// A list is read line by line into memory: its size is bounded first (a path a line, 64 MiB is millions).
constexpr std::uintmax_t kMaxListBytes = std::uintmax_t(64) << 20;

std::vector<std::string> list_file_inputs(const fs::path& list) {
    std::error_code ec;
    const std::uintmax_t bytes = fs::file_size(list, ec);
    if (ec) throw Error("--inputs '" + list.string() + "': cannot read the list: " + ec.message());
    if (bytes > kMaxListBytes)
        throw Error("--inputs '" + list.string() + "': a list of " + std::to_string(bytes >> 20) +
                    " MiB; lists of paths are at most 64 MiB");
    std::ifstream in(list);
    if (!in) throw Error("--inputs '" + list.string() + "': cannot open the list");
    std::vector<std::string> found;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
        std::size_t start = 0;
        while (start < line.size() && std::isspace(static_cast<unsigned char>(line[start]))) ++start;
        line = line.substr(start);
        if (line.empty() || line[0] == '#') continue;
        const fs::path p(line);
        found.push_back((p.is_absolute() ? p : list.parent_path() / p).string());
    }
    return found;
}

std::vector<std::string> pattern_inputs(const std::string& pattern) {
    long first = fs::exists(format_frame(pattern, 0)) ? 0 : 1;
    std::vector<std::string> found;
    for (long n = first; fs::exists(format_frame(pattern, n)); ++n) found.push_back(format_frame(pattern, n));
    return found;
}

// The input's file name; BMP and TGA inputs (which libnst reads but does not write) give a .png.
fs::path output_name(const fs::path& input) {
    fs::path name = input.filename();
    std::string ext = name.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".bmp" || ext == ".tga") name.replace_extension(".png");
    return name;
}

}  // namespace

std::string format_frame(const std::string& pattern, long number) {
    std::string out;
    bool converted = false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] != '%') {
            out += pattern[i];
            continue;
        }
        if (i + 1 < pattern.size() && pattern[i + 1] == '%') {
            out += '%';
            ++i;
            continue;
        }
        std::size_t j = i + 1;
        const bool zeros = j < pattern.size() && pattern[j] == '0';
        int width = 0;
        while (j < pattern.size() && std::isdigit(static_cast<unsigned char>(pattern[j])) && width < 100)
            width = width * 10 + (pattern[j++] - '0');
        if (j >= pattern.size() || pattern[j] != 'd' || converted || width > 12)
            throw Error("--inputs '" + pattern +
                        "': a frame pattern has one %d, %Nd or %0Nd (N up to 12) and no other %");
        std::string digits = std::to_string(number);
        if (static_cast<int>(digits.size()) < width)
            digits.insert(0, std::size_t(width) - digits.size(), zeros ? '0' : ' ');
        out += digits;
        converted = true;
        i = j;
    }
    if (!converted) throw Error("--inputs '" + pattern + "': no %d in the frame pattern");
    return out;
}

bool output_complete(const std::string& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return false;
    try {
        load_image(path);
        return true;
    } catch (const Error&) {
        return false;
    }
}

std::vector<BatchItem> list_batch_inputs(const std::string& inputs, const std::string& output_dir) {
    std::error_code ec;
    if (!fs::is_directory(output_dir, ec)) throw Error("--output-dir '" + output_dir + "': not a folder");
    std::vector<std::string> paths;
    if (inputs.find('%') != std::string::npos) {
        paths = pattern_inputs(inputs);
    } else if (fs::is_directory(inputs, ec)) {
        paths = folder_inputs(inputs);
    } else if (fs::is_regular_file(inputs, ec)) {
        paths = list_file_inputs(inputs);
    } else {
        throw Error("--inputs '" + inputs + "': no such folder, list file or frame pattern");
    }
    if (paths.empty()) throw Error("--inputs '" + inputs + "': no input images");
    std::vector<BatchItem> items;
    std::map<std::string, std::string> writers;
    for (const std::string& in : paths) {
        if (!is_image_name(in)) throw Error("input '" + in + "': not a .png, .jpg, .jpeg, .bmp or .tga name");
        const std::string out = (fs::path(output_dir) / output_name(in)).string();
        const auto [at, fresh] = writers.emplace(out, in);
        if (!fresh) throw Error("inputs '" + at->second + "' and '" + in + "' would both write " + out);
        check_not_same_file(out, "output", in, "input");
        items.push_back({in, out});
    }
    check_output_path(items.front().output);
    return items;
}

}  // namespace nst::app
