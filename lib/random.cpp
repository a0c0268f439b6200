#include "lib/random.hpp"

namespace wb {

Generator::Generator(std::uint64_t seed) { manual_seed(seed); }

// torch keeps only the low 32 bits of the seed for MT19937 (a 64-bit seed is accepted).
void Generator::manual_seed(std::uint64_t seed) { engine_.seed(static_cast<std::uint32_t>(seed)); }

std::uint32_t Generator::random() { return static_cast<std::uint32_t>(engine_()); }

std::uint64_t Generator::random64() {
    const std::uint64_t hi = random();
    const std::uint64_t lo = random();
    return (hi << 32) | lo;
}

float Generator::uniform_float() { return static_cast<float>(random() & 0xFFFFFFu) * 0x1p-24f; }

double Generator::uniform_double() {
    return static_cast<double>(random64() & ((std::uint64_t{1} << 53) - 1)) * 0x1p-53;
}

// torch's uniform_real_distribution<float>: `from` and `to` are floats, the sample
// x is double, and x * (to - from) + from is evaluated in double. Doing it in float
// gives 1-ulp differences from torch's nn.Linear weights.
float Generator::uniform_float(float from, float to) {
    const double x = static_cast<double>(random() & 0xFFFFFFu) * 0x1p-24;
    return static_cast<float>(x * static_cast<double>(to - from) + static_cast<double>(from));
}

Tensor Generator::rand(const Shape& shape) {
    Tensor t(shape);
    for (float& v : t.values()) v = uniform_float();
    return t;
}

Tensor Generator::uniform(const Shape& shape, float from, float to) {
    Tensor t(shape);
    for (float& v : t.values()) v = uniform_float(from, to);
    return t;
}

}  // namespace wb
