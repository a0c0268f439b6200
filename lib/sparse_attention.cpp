#include "lib/sparse_attention.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/parallel.hpp"
#include "lib/vector_math.hpp"

namespace wb {
namespace {

void check(const SparsePattern& p) {
    switch (p.kind) {
        case Pattern::causal: return;
        case Pattern::sliding_window:
            if (p.window == 0) throw ValueError("sliding window: the window must be at least 1 (the query itself)");
            return;
        case Pattern::strided:
            if (p.stride == 0) throw ValueError("strided pattern: the stride must be at least 1");
            return;
        case Pattern::fixed:
            if (p.stride == 0) throw ValueError("fixed pattern: the block length (stride) must be at least 1");
            if (p.summary == 0 || p.summary > p.stride)
                throw ValueError(fmt::format("fixed pattern: the summary positions ({}) must be 1 to the block "
                                             "length ({})",
                                             p.summary, p.stride));
            return;
    }
    throw ValueError("unknown sparse pattern");
}

// Appends [begin, end), joined to the last run when they touch.
void add_run(std::vector<KeyRun>& runs, std::size_t begin, std::size_t end) {
    if (begin == end) return;
    if (!runs.empty() && runs.back().end == begin)
        runs.back().end = end;
    else
        runs.push_back({begin, end});
}

void runs_unchecked(const SparsePattern& p, std::size_t i, std::vector<KeyRun>& runs) {
    runs.clear();
    switch (p.kind) {
        case Pattern::causal: add_run(runs, 0, i + 1); return;
        case Pattern::sliding_window: add_run(runs, i + 1 - std::min(i + 1, p.window), i + 1); return;
        case Pattern::strided: {
            const std::size_t local = i + 1 - std::min(i + 1, p.stride);  // the previous l start here
            for (std::size_t j = i % p.stride; j < local; j += p.stride) add_run(runs, j, j + 1);
            add_run(runs, local, i + 1);
            return;
        }
        case Pattern::fixed: {
            const std::size_t own = i / p.stride * p.stride;
            for (std::size_t block = 0; block < own; block += p.stride)
                add_run(runs, block + p.stride - p.summary, block + p.stride);
            add_run(runs, own, i + 1);
            return;
        }
    }
}

void expect_same(const Tensor& a, const Tensor& b, std::size_t from_dim, const char* what) {
    bool same = a.dim() == b.dim();
    for (std::size_t d = 0; same && d < from_dim; ++d) same = a.size(d) == b.size(d);
    if (!same)
        throw ShapeError(fmt::format("sparse_attention: {} (shapes {} and {})", what, to_string(a.shape()),
                                     to_string(b.shape())));
}

}  // namespace

SparsePattern causal_pattern() { return {}; }

SparsePattern sliding_window_pattern(std::size_t window) {
    SparsePattern p{Pattern::sliding_window, window, 0, 0};
    check(p);
    return p;
}

SparsePattern strided_pattern(std::size_t stride) {
    SparsePattern p{Pattern::strided, 0, stride, 0};
    check(p);
    return p;
}

SparsePattern fixed_pattern(std::size_t stride, std::size_t summary) {
    SparsePattern p{Pattern::fixed, 0, stride, summary};
    check(p);
    return p;
}

std::string to_string(const SparsePattern& p) {
    switch (p.kind) {
        case Pattern::causal: return "causal";
        case Pattern::sliding_window: return fmt::format("sliding window (w = {})", p.window);
        case Pattern::strided: return fmt::format("strided (l = {})", p.stride);
        case Pattern::fixed: return fmt::format("fixed (l = {}, c = {})", p.stride, p.summary);
    }
    return "unknown pattern";
}

bool attends(const SparsePattern& p, std::size_t i, std::size_t j) {
    check(p);
    if (j > i) return false;
    const std::size_t distance = i - j;
    switch (p.kind) {
        case Pattern::causal: return true;
        case Pattern::sliding_window: return distance < p.window;
        case Pattern::strided: return distance < p.stride || distance % p.stride == 0;
        case Pattern::fixed: return j / p.stride == i / p.stride || j % p.stride >= p.stride - p.summary;
    }
    return false;
}

void key_runs(const SparsePattern& p, std::size_t i, std::vector<KeyRun>& runs) {
    check(p);
    runs_unchecked(p, i, runs);
}

Tensor pattern_mask(const SparsePattern& p, std::size_t T) {
    check(p);
    Tensor mask = ones({T, T});
    std::vector<KeyRun> runs;
    for (std::size_t i = 0; i < T; ++i) {
        runs_unchecked(p, i, runs);
        for (const KeyRun& r : runs) std::fill(mask.data() + i * T + r.begin, mask.data() + i * T + r.end, 0.0f);
    }
    return mask;
}

std::uint64_t attended_pairs(const SparsePattern& p, std::size_t T) {
    check(p);
    std::uint64_t n = 0;
    std::vector<KeyRun> runs;
    for (std::size_t i = 0; i < T; ++i) {
        runs_unchecked(p, i, runs);
        for (const KeyRun& r : runs) n += r.end - r.begin;
    }
    return n;
}

Tensor sparse_attention(const Tensor& q, const Tensor& k, const Tensor& v, const SparsePattern& p) {
    check(p);
    if (q.dim() < 2) throw ShapeError(fmt::format("sparse_attention: q must be (..., T, d), got {}", to_string(q.shape())));
    const std::size_t rank = q.dim();
    expect_same(q, k, rank, "q and k must have the same shape");
    expect_same(q, v, rank - 1, "v must have q's batch dimensions and tokens");
    const std::size_t T = q.size(rank - 2), d = q.size(rank - 1), dv = v.size(rank - 1);
    if (T == 0 || d == 0 || dv == 0)
        throw ShapeError(fmt::format("sparse_attention: no tokens or zero width (q {}, v {})", to_string(q.shape()),
                                     to_string(v.shape())));
    Shape out_shape = q.shape();
    out_shape.back() = dv;
    Tensor out(out_shape);
    const float scale = 1.0f / std::sqrt(static_cast<float>(d));
    const std::size_t rows = q.numel() / d;  // every (batch..., query) pair

    // Two passes over each query's scores, kept in a buffer: the maximum first, so
    // exp never overflows, as in the dense softmax. (Lesson 11's online softmax does
    // it in one pass.) Only the keys in the query's runs are ever touched.
    parallel_for(rows, 16, [&](std::size_t begin, std::size_t end) {
        std::vector<KeyRun> runs;
        std::vector<float> scores(T);
        for (std::size_t r = begin; r < end; ++r) {
            // Rows in the order 0, last, 1, last - 1, ...: under a causal pattern late
            // queries attend many more keys than early ones, so pairing them evens
            // out the chunks the threads take.
            const std::size_t row = r % 2 == 0 ? r / 2 : rows - 1 - r / 2;
            const std::size_t i = row % T, first = row - i;  // query i of sequence `first / T`
            const float* qi = q.data() + row * d;
            const float* keys = k.data() + first * d;
            const float* values = v.data() + first * dv;
            float* o = out.data() + row * dv;
            runs_unchecked(p, i, runs);
            float max = -std::numeric_limits<float>::infinity();
            std::size_t n = 0;
            for (const KeyRun& r : runs)
                for (std::size_t j = r.begin; j < r.end; ++j) {
                    scores[n] = detail::dot(qi, keys + j * d, d) * scale;
                    max = std::max(max, scores[n++]);
                }
            for (std::size_t m = 0; m < n; ++m) scores[m] -= max;
            detail::exp(scores.data(), scores.data(), n);
            float sum = 0.0f;
            for (std::size_t m = 0; m < n; ++m) sum += scores[m];
            std::fill(o, o + dv, 0.0f);
            n = 0;
            for (const KeyRun& r : runs)
                for (std::size_t j = r.begin; j < r.end; ++j) detail::axpy(scores[n++] / sum, values + j * dv, o, dv);
        }
    });
    return out;
}

}  // namespace wb
