#include "lib/torch_sum.hpp"

#include <algorithm>
#include <array>

namespace wb::detail {
namespace {

constexpr std::size_t kLanes = 8;  // Vectorized<float>::size() on AVX2
constexpr std::size_t kIlp = 4;    // interleaved accumulators in torch's row_sum
constexpr int kLevels = 4;         // cascade depth in torch's multi_row_sum

std::size_t ceil_log2(std::size_t n) {
    std::size_t p = 0;
    while ((std::size_t{1} << p) < n) ++p;
    return p;
}

// torch's multi_row_sum for one accumulator: `size` values at x[0], x[stride], ...
// added in chunks of 2^level_power; each full chunk is folded into the next level
// up, so only partial sums of similar magnitude meet.
float cascade(const float* x, std::size_t stride, std::size_t size) {
    const std::size_t level_power = std::max<std::size_t>(4, ceil_log2(size) / kLevels);
    const std::size_t level_step = std::size_t{1} << level_power;
    const std::size_t level_mask = level_step - 1;
    std::array<float, kLevels> acc{};
    std::size_t i = 0;
    while (i + level_step <= size) {
        for (std::size_t j = 0; j < level_step; ++j, ++i) acc[0] += x[i * stride];
        for (int j = 1; j < kLevels; ++j) {
            acc[j] += acc[j - 1];
            acc[j - 1] = 0.0f;
            if ((i & (level_mask << (j * level_power))) != 0) break;
        }
    }
    for (; i < size; ++i) acc[0] += x[i * stride];
    for (int j = 1; j < kLevels; ++j) acc[0] += acc[j];
    return acc[0];
}

// torch's row_sum: four accumulators take every fourth value (each a cascade),
// the leftover values go to the first, then the four are added in order.
float ilp_sum(const float* x, std::size_t stride, std::size_t size) {
    const std::size_t size_ilp = size / kIlp;
    std::array<float, kIlp> partial{};
    for (std::size_t k = 0; k < kIlp; ++k) partial[k] = cascade(x + k * stride, kIlp * stride, size_ilp);
    for (std::size_t i = size_ilp * kIlp; i < size; ++i) partial[0] += x[i * stride];
    for (std::size_t k = 1; k < kIlp; ++k) partial[0] += partial[k];
    return partial[0];
}

}  // namespace

float torch_inner_sum(const float* x, std::size_t n, std::size_t stride) {
    if (stride != 1 || n < kLanes) return ilp_sum(x, stride, n);
    // Contiguous and long enough: 8-lane vectors, lane l summing x[l], x[l + 8], ...
    const std::size_t vectors = n / kLanes;
    float total = 0.0f;
    for (std::size_t k = vectors * kLanes; k < n; ++k) total += x[k];
    for (std::size_t lane = 0; lane < kLanes; ++lane) total += ilp_sum(x + lane, kLanes, vectors);
    return total;
}

void torch_outer_sum(const float* x, std::size_t outer, std::size_t reduced, std::size_t inner, float* out) {
    // Columns in full groups (32 with vectors, 4 without) take a plain cascade down
    // the reduced dimension; the remaining columns take row_sum's interleaved order.
    const std::size_t group = inner >= kLanes ? kIlp * kLanes : kIlp;
    const std::size_t grouped = inner / group * group;
    for (std::size_t o = 0; o < outer; ++o) {
        const float* block = x + o * reduced * inner;
        for (std::size_t c = 0; c < inner; ++c)
            out[o * inner + c] = c < grouped ? cascade(block + c, inner, reduced) : ilp_sum(block + c, inner, reduced);
    }
}

}  // namespace wb::detail
