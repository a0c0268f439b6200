#include "lib/python_random.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <sstream>

#include <fmt/format.h>

#include "lib/errors.hpp"

namespace wb {
namespace {

constexpr std::size_t kStateSize = 624;
using State = std::array<std::uint32_t, kStateSize>;

// The reference MT19937's init_by_array (Matsumoto and Nishimura, 2002), which
// Python's random.seed uses; std::mt19937's own seeding is init_genrand alone.
State init_by_array(const std::vector<std::uint32_t>& key) {
    State mt{};
    mt[0] = 19650218u;
    for (std::uint32_t i = 1; i < kStateSize; ++i) mt[i] = 1812433253u * (mt[i - 1] ^ (mt[i - 1] >> 30)) + i;
    std::size_t i = 1, j = 0;
    for (std::size_t k = std::max(kStateSize, key.size()); k > 0; --k) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + key[j] + static_cast<std::uint32_t>(j);
        if (++i >= kStateSize) {
            mt[0] = mt[kStateSize - 1];
            i = 1;
        }
        if (++j >= key.size()) j = 0;
    }
    for (std::size_t k = kStateSize - 1; k > 0; --k) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) - static_cast<std::uint32_t>(i);
        if (++i >= kStateSize) {
            mt[0] = mt[kStateSize - 1];
            i = 1;
        }
    }
    mt[0] = 0x80000000u;  // the state must not be all zeros
    return mt;
}

}  // namespace

PythonRandom::PythonRandom(std::uint64_t seed) {
    // Python splits the seed into 32-bit words, least significant first.
    std::vector<std::uint32_t> key{static_cast<std::uint32_t>(seed)};
    if (seed >> 32) key.push_back(static_cast<std::uint32_t>(seed >> 32));
    // The standard lets a state be streamed into an engine: its 624 words, oldest
    // first. The next draw then twists them, exactly as Python's first draw does.
    std::stringstream words;
    for (std::uint32_t w : init_by_array(key)) words << w << ' ';
    words >> engine_;
}

std::uint64_t PythonRandom::getrandbits(int k) {
    if (k <= 0 || k > 64) throw ValueError(fmt::format("getrandbits: k must be in 1..64, got {}", k));
    if (k <= 32) return static_cast<std::uint32_t>(engine_()) >> (32 - k);
    const std::uint64_t low = static_cast<std::uint32_t>(engine_());  // the first word is the low one
    const std::uint64_t high = static_cast<std::uint32_t>(engine_()) >> (64 - k);
    return (high << 32) | low;
}

std::uint64_t PythonRandom::randbelow(std::uint64_t n) {
    if (n == 0) throw ValueError("randbelow: n must be positive");
    const int k = std::bit_width(n);
    std::uint64_t r = getrandbits(k);
    while (r >= n) r = getrandbits(k);
    return r;
}

}  // namespace wb
