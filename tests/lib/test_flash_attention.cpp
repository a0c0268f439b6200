// The online softmax and the tiled kernel (lib/flash_attention.hpp) against dense
// attention (lib/attention.hpp's scaled_dot_product_attention, the T x T path), on
// random inputs: lengths that are and are not multiples of the blocks, T = 1, keys
// longer than queries, a padding mask that hides whole rows, and the errors.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lib/attention.hpp"
#include "lib/errors.hpp"
#include "lib/flash_attention.hpp"
#include "lib/ops.hpp"
#include "lib/parallel.hpp"
#include "lib/random.hpp"

using wb::FlashOptions;
using wb::PartialAttention;
using wb::Tensor;

namespace {

float largest_difference(const Tensor& a, const Tensor& b) {
    BOOST_REQUIRE(a.shape() == b.shape());
    float m = 0.0f;
    for (std::size_t i = 0; i < a.numel(); ++i) {
        const float d = std::abs(a.values()[i] - b.values()[i]);
        if (!(d <= m)) m = std::isnan(d) ? std::numeric_limits<float>::infinity() : d;  // NaN must fail, not vanish
    }
    return m;
}

// The dense mask for the same options: 1 where key j is hidden from query i.
Tensor dense_mask(std::size_t T, std::size_t S, const FlashOptions& o) {
    Tensor mask = wb::zeros({T, S});
    for (std::size_t i = 0; i < T; ++i)
        for (std::size_t j = 0; j < S; ++j)
            if ((o.causal && j > i) || (o.key_padding.numel() && o.key_padding(j) != 0.0f)) mask(i, j) = 1.0f;
    return mask;
}

struct Inputs {
    Tensor q, k, v;
};

// Scores of a few units: the softmax is neither flat nor one-hot.
Inputs random_inputs(std::size_t T, std::size_t S, std::size_t d, std::size_t dv, std::uint64_t seed) {
    wb::Generator g(seed);
    return {g.randn({T, d}) * 1.5f, g.randn({S, d}) * 1.5f, g.randn({S, dv})};
}

void expect_dense(const Inputs& x, const FlashOptions& o) {
    const Tensor dense =
        wb::scaled_dot_product_attention(x.q, x.k, x.v, dense_mask(x.q.size(0), x.k.size(0), o)).context;
    const Tensor tiled = wb::flash_attention(x.q, x.k, x.v, o);
    BOOST_TEST(largest_difference(tiled, dense) < 2e-5f,
               "T " << x.q.size(0) << ", S " << x.k.size(0) << ", d " << x.q.size(1) << ", blocks " << o.block_q
                    << " x " << o.block_k << ", causal " << o.causal);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(flash_attention)

BOOST_AUTO_TEST_CASE(equals_the_dense_path_for_any_length_and_block) {
    std::uint64_t seed = 1;
    for (const std::size_t T : {1, 2, 7, 64, 100, 129, 300})
        for (const auto& [bq, bk] : {std::pair<std::size_t, std::size_t>{128, 128}, {16, 32}, {5, 3}, {1, 1}}) {
            if (bq * bk == 1 && T > 64) continue;  // one score a tile: right, but slow
            for (const bool causal : {true, false}) expect_dense(random_inputs(T, T, 8, 8, seed++), {causal, {}, bq, bk});
        }
}

BOOST_AUTO_TEST_CASE(equals_the_dense_path_at_head_width_64_and_other_value_widths) {
    expect_dense(random_inputs(517, 517, 64, 64, 3), {});
    expect_dense(random_inputs(200, 200, 64, 5, 4), {true, {}, 64, 48});
    expect_dense(random_inputs(33, 90, 16, 3, 5), {false, {}, 8, 16});  // more keys than queries
    expect_dense(random_inputs(33, 90, 16, 3, 6), {true, {}, 8, 16});   // causal: torch's top-left corner
    expect_dense(random_inputs(90, 33, 16, 3, 7), {true, {}, 8, 16});   // fewer keys: the last queries see them all
}

BOOST_AUTO_TEST_CASE(fully_masked_rows_get_zeros_and_no_nan) {
    // Padding on the first keys: under the causal mask the first queries see nothing.
    for (const std::size_t block : {4, 128}) {
        Tensor padding = wb::zeros({50});
        for (std::size_t j = 0; j < 6; ++j) padding(j) = 1.0f;
        padding(30) = 1.0f;
        const Inputs x = random_inputs(50, 50, 8, 4, 9);
        const FlashOptions o{true, padding, block, block};
        const Tensor out = wb::flash_attention(x.q, x.k, x.v, o);
        for (std::size_t i = 0; i < 6; ++i)
            for (std::size_t c = 0; c < 4; ++c) BOOST_TEST(out(i, c) == 0.0f, "query " << i << " sees no key");
        BOOST_TEST(out(6, 0) != 0.0f);
        expect_dense(x, o);
    }
    // Everything padded: all zeros.
    const Inputs x = random_inputs(10, 10, 4, 4, 10);
    const Tensor out = wb::flash_attention(x.q, x.k, x.v, {false, wb::ones({10}), 4, 4});
    BOOST_TEST(largest_difference(out, wb::zeros({10, 4})) == 0.0f);
}

BOOST_AUTO_TEST_CASE(large_scores_do_not_overflow) {
    // Scores near 1,000: exp alone would overflow; the running max keeps every exp <= 1.
    Inputs x = random_inputs(40, 40, 8, 8, 11);
    x.q = x.q * 40.0f;
    expect_dense(x, {true, {}, 8, 8});
}

BOOST_AUTO_TEST_CASE(the_same_numbers_on_one_thread_and_on_all) {
    const Inputs x = random_inputs(700, 700, 32, 32, 12);
    const std::size_t threads = wb::parallel_threads();
    wb::set_parallel_threads(1);
    const Tensor one = wb::flash_attention(x.q, x.k, x.v);
    wb::set_parallel_threads(3);
    const Tensor three = wb::flash_attention(x.q, x.k, x.v);
    wb::set_parallel_threads(threads);
    BOOST_TEST(one.values() == three.values());
}

BOOST_AUTO_TEST_CASE(refuses_what_it_cannot_compute) {
    const Inputs x = random_inputs(4, 4, 8, 8, 13);
    BOOST_CHECK_THROW(wb::flash_attention(x.q, x.k.reshape({8, 4}), x.v), wb::ShapeError);
    BOOST_CHECK_THROW(wb::flash_attention(x.q, x.k, wb::zeros({3, 8})), wb::ShapeError);
    BOOST_CHECK_THROW(wb::flash_attention(x.q.reshape({32}), x.k, x.v), wb::ShapeError);
    BOOST_CHECK_THROW(wb::flash_attention(x.q, x.k, x.v, {true, wb::zeros({5}), 4, 4}), wb::ShapeError);
    BOOST_CHECK_THROW(wb::flash_attention(x.q, x.k, x.v, {true, {}, 0, 4}), wb::ValueError);
    try {
        wb::flash_attention(x.q, x.k, wb::zeros({3, 8}));
    } catch (const wb::ShapeError& e) {
        BOOST_TEST(std::string(e.what()).find("[4, 8] and v [3, 8]") != std::string::npos, e.what());
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(online_softmax)

BOOST_AUTO_TEST_CASE(one_block_is_dense_attention_with_its_max_and_sum) {
    const Inputs x = random_inputs(5, 7, 4, 3, 20);
    const PartialAttention p = wb::attend_block(x.q, x.k, x.v);
    BOOST_TEST(largest_difference(p.out, wb::scaled_dot_product_attention(x.q, x.k, x.v, Tensor()).context) < 1e-6f);
    const Tensor scores = wb::matmul(x.q, wb::T(x.k)) / 2.0f;  // sqrt(4)
    for (std::size_t i = 0; i < 5; ++i) {
        float m = -INFINITY, l = 0.0f;
        for (std::size_t j = 0; j < 7; ++j) m = std::max(m, scores(i, j));
        for (std::size_t j = 0; j < 7; ++j) l += std::exp(scores(i, j) - m);
        BOOST_TEST(p.max(i) == m);
        BOOST_TEST(std::abs(p.sum(i) - l) < 1e-5f);
    }
}

BOOST_AUTO_TEST_CASE(merging_the_blocks_in_any_order_gives_the_softmax_over_all_keys) {
    const Inputs x = random_inputs(6, 9, 4, 3, 21);
    const Tensor dense = wb::scaled_dot_product_attention(x.q, x.k, x.v, Tensor()).context;
    std::vector<PartialAttention> parts;
    for (std::size_t k0 = 0; k0 < 9; k0 += 3) {
        Tensor kb = wb::zeros({3, 4}), vb = wb::zeros({3, 3});
        for (std::size_t j = 0; j < 3; ++j) {
            for (std::size_t c = 0; c < 4; ++c) kb(j, c) = x.k(k0 + j, c);
            for (std::size_t c = 0; c < 3; ++c) vb(j, c) = x.v(k0 + j, c);
        }
        parts.push_back(wb::attend_block(x.q, kb, vb));
    }
    const PartialAttention left = wb::merge(wb::merge(parts[0], parts[1]), parts[2]);
    const PartialAttention right = wb::merge(parts[2], wb::merge(parts[1], parts[0]));
    BOOST_TEST(largest_difference(left.out, dense) < 1e-6f);
    BOOST_TEST(largest_difference(right.out, dense) < 1e-6f);
    const PartialAttention whole = wb::attend_block(x.q, x.k, x.v);
    BOOST_TEST(largest_difference(left.max, whole.max) == 0.0f);
    BOOST_TEST(largest_difference(left.sum, whole.sum) < 1e-5f);
}

BOOST_AUTO_TEST_CASE(an_empty_side_adds_nothing_and_two_empty_stay_empty) {
    const Inputs x = random_inputs(3, 4, 2, 2, 22);
    Tensor mask = wb::zeros({3, 4});
    for (std::size_t j = 0; j < 4; ++j) mask(0, j) = 1.0f;  // query 0 sees none of these keys
    const PartialAttention p = wb::attend_block(x.q, x.k, x.v, mask);
    BOOST_TEST(p.max(0) == -INFINITY);
    BOOST_TEST(p.sum(0) == 0.0f);
    BOOST_TEST(p.out(0, 0) == 0.0f);
    const PartialAttention empty = wb::empty_partial(3, 2);
    const PartialAttention m = wb::merge(p, empty);
    BOOST_TEST(m.out.values() == p.out.values());
    BOOST_TEST(m.sum.values() == p.sum.values());
    const PartialAttention none = wb::merge(empty, empty);
    BOOST_TEST(none.max(1) == -INFINITY);
    BOOST_TEST(none.out(1, 1) == 0.0f);
}

BOOST_AUTO_TEST_CASE(refuses_partial_results_of_other_shapes) {
    BOOST_CHECK_THROW(wb::merge(wb::empty_partial(3, 2), wb::empty_partial(4, 2)), wb::ShapeError);
    BOOST_CHECK_THROW(wb::merge(wb::empty_partial(3, 2), wb::empty_partial(3, 1)), wb::ShapeError);
    const Inputs x = random_inputs(3, 4, 2, 2, 23);
    BOOST_CHECK_THROW(wb::attend_block(x.q, x.k, x.v, wb::zeros({4, 3})), wb::ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()
