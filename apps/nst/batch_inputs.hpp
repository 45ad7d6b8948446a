// nst batch's inputs and outputs: the --inputs list (a folder, a list file or a numbered-frames pattern), the
// output named after each input in --output-dir, and the resume rule (an output that exists and decodes is
// done).
#pragma once

#include <string>
#include <vector>

namespace nst::app {

struct BatchItem {
    std::string input;   // as found or listed
    std::string output;  // OUT/<the input's file name> (.bmp and .tga inputs: .png)
};

// The inputs, in order, with their outputs:
//   DIR            its image files (.png .jpg .jpeg .bmp .tga, any case), sorted by name;
//   LIST.txt       one path per line (relative paths: from the list's folder; blank lines and # comments
//                  skipped; at most 64 MiB);
//   'f/%05d.png'   numbered frames from 0 (or from 1 when there is no frame 0) up to the first missing number.
// nst::Error, before any work, when the source is missing or empty, a pattern is malformed, two inputs would
// write one output, or an output would replace an input.
std::vector<BatchItem> list_batch_inputs(const std::string& inputs, const std::string& output_dir);

// The output file exists and decodes completely (a crash or a preemption mid-run leaves none, or a truncated
// one from another tool: both are redone).
bool output_complete(const std::string& path);

// Frame `number` of a printf-style pattern with one integer conversion (%d, %5d, %05d); nst::Error for any
// other '%' than "%%".
std::string format_frame(const std::string& pattern, long number);

}  // namespace nst::app
