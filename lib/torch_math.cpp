#include "lib/torch_math.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace wb::detail {

float cephes_logf(float x) {
    if (!(x > 0.0f)) return std::numeric_limits<float>::quiet_NaN();
    x = std::max(x, std::numeric_limits<float>::min());  // no denormals
    // x = m * 2^e with the mantissa m in [0.5, 1)
    const auto bits = std::bit_cast<std::uint32_t>(x);
    float e = static_cast<float>(static_cast<std::int32_t>(bits >> 23) - 0x7f) + 1.0f;
    x = std::bit_cast<float>((bits & ~0x7f800000u) | std::bit_cast<std::uint32_t>(0.5f));
    // below sqrt(1/2), use 2m and e - 1 so that x - 1 stays in [-0.29, 0.41]
    const bool small = x < 0.707106781186547524f;
    const float twice = small ? x : 0.0f;
    x = x - 1.0f;
    if (small) e = e - 1.0f;
    x = x + twice;

    const float z = x * x;
    float y = 7.0376836292E-2f;
    for (const float p : {-1.1514610310E-1f, 1.1676998740E-1f, -1.2420140846E-1f, 1.4249322787E-1f,
                          -1.6668057665E-1f, 2.0000714765E-1f, -2.4999993993E-1f, 3.3333331174E-1f})
        y = std::fma(y, x, p);
    y = y * x;
    y = std::fma(y, z, e * -2.12194440e-4f);  // ln 2 is split in two parts for precision
    y = std::fma(-z, 0.5f, y);
    return std::fma(e, 0.693359375f, x + y);
}

void cephes_sincosf(float x, float& sin_x, float& cos_x) {
    std::uint32_t sin_sign = std::bit_cast<std::uint32_t>(x) & 0x80000000u;
    x = std::fabs(x);
    // j: the octant of x, rounded up to even; y = j as a float
    std::int32_t j = static_cast<std::int32_t>(x * 1.27323954473516f);  // 4 / pi
    j = (j + 1) & ~1;
    const float y = static_cast<float>(j);
    const std::uint32_t sin_swap = static_cast<std::uint32_t>(j & 4) << 29;
    const bool sin_from_sine_poly = (j & 2) == 0;
    // x - j * pi/4 in three parts, so the reduction loses nothing
    x = std::fma(y, -0.78515625f, x);
    x = std::fma(y, -2.4187564849853515625e-4f, x);
    x = std::fma(y, -3.77489497744594108e-8f, x);
    const std::uint32_t cos_sign = static_cast<std::uint32_t>(~(j - 2) & 4) << 29;
    sin_sign ^= sin_swap;

    const float z = x * x;
    float c = 2.443315711809948E-005f;  // cos on [-pi/4, pi/4]
    c = std::fma(c, z, -1.388731625493765E-003f);
    c = std::fma(c, z, 4.166664568298827E-002f);
    c = c * z;
    c = std::fma(c, z, -(z * 0.5f));
    c = c + 1.0f;
    float s = -1.9515295891E-4f;  // sin on [-pi/4, pi/4]
    s = std::fma(s, z, 8.3321608736E-3f);
    s = std::fma(s, z, -1.6666654611E-1f);
    s = s * z;
    s = std::fma(s, x, x);

    sin_x = std::bit_cast<float>(std::bit_cast<std::uint32_t>(sin_from_sine_poly ? s : c) ^ sin_sign);
    cos_x = std::bit_cast<float>(std::bit_cast<std::uint32_t>(sin_from_sine_poly ? c : s) ^ cos_sign);
}

}  // namespace wb::detail
