#pragma once
// Python's `random` module, as far as the makemore walkthrough uses it:
// `random.seed(42); random.shuffle(words)` decides which names are training,
// validation and test data, so the split is only the walkthrough's if the shuffle is.
//
// Python's generator is the same Mersenne Twister as torch's (and std::mt19937);
// two things differ. random.seed(n) fills the state with the reference
// implementation's init_by_array, fed the 32-bit words of n. And shuffle picks
// each swap partner by rejection: draw just enough bits, retry while too large.
#include <cstddef>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace wb {

class PythonRandom {
public:
    // random.seed(seed) for a non-negative integer seed
    explicit PythonRandom(std::uint64_t seed);

    // random.getrandbits(k) for 0 < k <= 64
    std::uint64_t getrandbits(int k);
    // random._randbelow(n): uniform in [0, n), n > 0
    std::uint64_t randbelow(std::uint64_t n);

    // random.shuffle(x): Fisher-Yates from the back, as Python does it.
    template <typename T>
    void shuffle(std::vector<T>& x) {
        for (std::size_t i = x.size(); i-- > 1;) std::swap(x[i], x[randbelow(i + 1)]);
    }

private:
    std::mt19937 engine_;
};

}  // namespace wb
