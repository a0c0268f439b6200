// Sparse attention patterns: attends and the masks against the definitions written
// out again here, the runs against the masks, the pair counts, the kernel against
// dense attention under the same mask, the same numbers on any thread count, and
// the errors.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lib/attention.hpp"
#include "lib/errors.hpp"
#include "lib/parallel.hpp"
#include "lib/random.hpp"
#include "lib/sparse_attention.hpp"

using wb::SparsePattern;
using wb::Tensor;

namespace {

// Child et al.'s heads, as the paper writes them, for the union to be checked against.
bool by_definition(const SparsePattern& p, std::size_t i, std::size_t j) {
    if (j > i) return false;
    switch (p.kind) {
        case wb::Pattern::causal: return true;
        case wb::Pattern::sliding_window: return j + p.window > i;
        case wb::Pattern::strided: {
            const bool local = j + p.stride > i, stride = (i - j) % p.stride == 0;
            return local || stride;
        }
        case wb::Pattern::fixed: {
            const bool block = j / p.stride == i / p.stride, summary = j % p.stride + p.summary >= p.stride;
            return block || summary;
        }
    }
    return false;
}

std::vector<SparsePattern> some_patterns() {
    std::vector<SparsePattern> ps = {wb::causal_pattern()};
    for (const std::size_t w : {1, 2, 3, 7, 40}) ps.push_back(wb::sliding_window_pattern(w));
    for (const std::size_t l : {1, 2, 3, 5, 40}) ps.push_back(wb::strided_pattern(l));
    for (const auto& [l, c] : {std::pair{1, 1}, {4, 1}, {4, 2}, {5, 5}, {3, 2}, {40, 8}})
        ps.push_back(wb::fixed_pattern(static_cast<std::size_t>(l), static_cast<std::size_t>(c)));
    return ps;
}

float largest_difference(const Tensor& a, const Tensor& b) {
    BOOST_REQUIRE(a.shape() == b.shape());
    float m = 0.0f;
    for (std::size_t i = 0; i < a.numel(); ++i) {
        const float d = std::abs(a.values()[i] - b.values()[i]);
        if (!(d <= m)) m = std::isnan(d) ? std::numeric_limits<float>::infinity() : d;  // NaN must fail, not vanish
    }
    return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sparse_attention)

BOOST_AUTO_TEST_CASE(attends_and_the_mask_follow_the_definitions) {
    for (const SparsePattern& p : some_patterns()) {
        const std::size_t T = 23;
        const Tensor mask = wb::pattern_mask(p, T);
        for (std::size_t i = 0; i < T; ++i)
            for (std::size_t j = 0; j < T; ++j) {
                BOOST_TEST(wb::attends(p, i, j) == by_definition(p, i, j), to_string(p) << " at " << i << ", " << j);
                BOOST_TEST(mask(i, j) == (by_definition(p, i, j) ? 0.0f : 1.0f), to_string(p) << " at " << i << ", " << j);
            }
    }
}

BOOST_AUTO_TEST_CASE(runs_are_sorted_apart_and_cover_exactly_the_attended_keys) {
    std::vector<wb::KeyRun> runs;
    for (const SparsePattern& p : some_patterns())
        for (std::size_t i = 0; i < 50; ++i) {
            wb::key_runs(p, i, runs);
            std::vector<bool> covered(i + 1, false);
            for (std::size_t r = 0; r < runs.size(); ++r) {
                BOOST_TEST(runs[r].begin < runs[r].end);
                if (r > 0) BOOST_TEST(runs[r - 1].end < runs[r].begin, "runs touch or overlap: " << to_string(p));
                for (std::size_t j = runs[r].begin; j < runs[r].end; ++j) covered.at(j) = true;
            }
            for (std::size_t j = 0; j <= i; ++j) BOOST_TEST(covered[j] == by_definition(p, i, j), to_string(p) << " " << i << ", " << j);
        }
}

BOOST_AUTO_TEST_CASE(attended_pairs_counts_the_open_places_of_the_mask) {
    for (const SparsePattern& p : some_patterns())
        for (const std::size_t T : {1, 2, 9, 31, 64}) {
            const Tensor mask = wb::pattern_mask(p, T);
            std::uint64_t open = 0;
            for (const float m : mask.values()) open += m == 0.0f;
            BOOST_TEST(wb::attended_pairs(p, T) == open, to_string(p) << ", T = " << T);
        }
    BOOST_TEST(wb::attended_pairs(wb::causal_pattern(), 16384) == 16384ull * 16385 / 2);
    BOOST_TEST(wb::attended_pairs(wb::sliding_window_pattern(1), 1000) == 1000u);
}

BOOST_AUTO_TEST_CASE(the_kernel_equals_dense_attention_under_the_mask) {
    wb::Generator g(7);
    for (const SparsePattern& p : some_patterns())
        for (const std::size_t T : {1, 2, 13, 41}) {
            const Tensor q = g.randn({2, 3, T, 5}), k = g.randn({2, 3, T, 5}), v = g.randn({2, 3, T, 4});
            const Tensor dense = wb::scaled_dot_product_attention(q, k, v, wb::pattern_mask(p, T)).context;
            const Tensor sparse = wb::sparse_attention(q, k, v, p);
            BOOST_TEST(largest_difference(sparse, dense) <= 2e-6f, to_string(p) << ", T = " << T);
        }
    // Two dimensions, a width that is not a multiple of 8, large scores
    Tensor q = g.randn({37, 19});
    for (float& x : q.values()) x *= 6.0f;
    const Tensor k = g.randn({37, 19}), v = g.randn({37, 3});
    const SparsePattern p = wb::strided_pattern(6);
    BOOST_TEST(largest_difference(wb::sparse_attention(q, k, v, p),
                                  wb::scaled_dot_product_attention(q, k, v, wb::pattern_mask(p, 37)).context) <= 1e-5f);
}

BOOST_AUTO_TEST_CASE(the_numbers_do_not_depend_on_the_thread_count) {
    wb::Generator g(3);
    const Tensor q = g.randn({300, 16}), k = g.randn({300, 16}), v = g.randn({300, 16});
    wb::set_parallel_threads(1);
    const Tensor one = wb::sparse_attention(q, k, v, wb::fixed_pattern(16, 2));
    wb::set_parallel_threads(2);
    const Tensor two = wb::sparse_attention(q, k, v, wb::fixed_pattern(16, 2));
    wb::set_parallel_threads(wb::parallel_threads());
    BOOST_TEST(one.values() == two.values());
}

BOOST_AUTO_TEST_CASE(bad_patterns_and_shapes_are_refused) {
    BOOST_CHECK_THROW(wb::sliding_window_pattern(0), wb::ValueError);
    BOOST_CHECK_THROW(wb::strided_pattern(0), wb::ValueError);
    BOOST_CHECK_THROW(wb::fixed_pattern(0, 1), wb::ValueError);
    BOOST_CHECK_EXCEPTION(wb::fixed_pattern(4, 5), wb::ValueError, [](const wb::ValueError& e) {
        return std::string(e.what()) == "fixed pattern: the summary positions (5) must be 1 to the block length (4)";
    });
    BOOST_CHECK_THROW(wb::fixed_pattern(4, 0), wb::ValueError);
    const SparsePattern broken{wb::Pattern::strided, 0, 0, 0};  // built by hand, never checked
    BOOST_CHECK_THROW(wb::attends(broken, 3, 1), wb::ValueError);
    BOOST_CHECK_THROW(wb::attended_pairs(broken, 3), wb::ValueError);

    const Tensor a = wb::zeros({4, 3}), b = wb::zeros({5, 3}), c = wb::zeros({4, 2});
    BOOST_CHECK_EXCEPTION(wb::sparse_attention(a, b, b, wb::causal_pattern()), wb::ShapeError, [](const wb::ShapeError& e) {
        return std::string(e.what()) == "sparse_attention: q and k must have the same shape (shapes [4, 3] and [5, 3])";
    });
    BOOST_CHECK_THROW(wb::sparse_attention(a, c, a, wb::causal_pattern()), wb::ShapeError);
    BOOST_CHECK_THROW(wb::sparse_attention(a, a, b, wb::causal_pattern()), wb::ShapeError);
    BOOST_CHECK_NO_THROW(wb::sparse_attention(a, a, c, wb::causal_pattern()));  // d_v may differ from d
    BOOST_CHECK_THROW(wb::sparse_attention(wb::zeros({3}), wb::zeros({3}), wb::zeros({3}), wb::causal_pattern()),
                      wb::ShapeError);
    BOOST_CHECK_THROW(wb::sparse_attention(wb::zeros({0, 3}), wb::zeros({0, 3}), wb::zeros({0, 3}), wb::causal_pattern()),
                      wb::ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()
