// The hostile-file mutator: seeded, reproducible damage of the kinds that broke libnst's
// readers before: flipped bits, changed bytes and byte pairs, header words set to extreme values,
// truncation, duplicated and deleted chunks, and, for MAT v5 files, the same damage applied inside a
// compressed variable's inflated bytes and compressed again (so zlib accepts the stream and the
// structure underneath is garbage).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace nst::fuzz {

using Bytes = std::vector<unsigned char>;

// One mutant of `seed`; `kind` names what was done (for the report). Deterministic in `rng`'s state.
Bytes mutate(const Bytes& seed, std::mt19937_64& rng, bool mat_file, std::string* kind);

}  // namespace nst::fuzz
