// Lesson 11's exercises, checked against the torch oracle (data/reference/lesson11.txt).
// Built twice: with solutions/ (in the test suite) and with the student's file
// (`./workbook check 11`). Random inputs (seeds 7 and 11) keep a hard-coded answer
// from passing.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "exercises.hpp"
#include "lib/ops.hpp"
#include "tests/support/exercise_check.hpp"

namespace utf = boost::unit_test;
using lesson11::PartialAttention;
using lesson11::Tensor;
using wb::testing::attempt;
using wb::testing::expect_close;
using wb::testing::expect_true;

namespace {

Tensor oracle(const std::string& name) { return wb::testing::reference("lesson11.txt")[name].tensor(); }

const int kSeeds[] = {7, 11};

// a (1, 1) matrix: one row, one value channel
Tensor one_by_one(float x) { return Tensor(wb::Shape{1, 1}, std::vector<float>{x}); }

std::string seeded(const std::string& name, int seed) { return name + "_seed" + std::to_string(seed); }

PartialAttention partial(const std::string& prefix, int seed) {
    return {oracle(seeded(prefix + "max", seed)), oracle(seeded(prefix + "sum", seed)),
            oracle(seeded(prefix + "out", seed))};
}

void expect_partial(const PartialAttention& found, const PartialAttention& expected, const std::string& what) {
    expect_close(found.max, expected.max, what + ": max") && expect_close(found.sum, expected.sum, what + ": sum") &&
        expect_close(found.out, expected.out, what + ": out");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson11)

BOOST_AUTO_TEST_CASE(exercise_11_1, *utf::description("merge two partial softmax results")) {
    // The header's worked example: one row, one value channel.
    const PartialAttention a{Tensor{0.0f}, Tensor{1.0f}, one_by_one(2.0f)};
    const PartialAttention b{Tensor{std::log(3.0f)}, Tensor{1.0f}, one_by_one(6.0f)};
    const auto small = attempt([&] { return lesson11::merge_partials(a, b); });
    if (!small) return;
    expect_partial(*small, {Tensor{std::log(3.0f)}, Tensor{4.0f / 3.0f}, one_by_one(5.0f)},
                   "merge_partials(m [0], l [1], out [[2]]; m [ln 3], l [1], out [[6]])");
    for (const int seed : kSeeds) {
        const std::string what = "merge_partials of torch.randn(4, 3) * 2 queries over keys 0-2 and 3-5 of "
                                 "torch.randn(6, 3) * 2 (values torch.randn(6, 2)), torch.manual_seed(" +
                                 std::to_string(seed) + ")";
        const PartialAttention pa = partial("ex_merge_a_", seed), pb = partial("ex_merge_b_", seed),
                               whole = partial("ex_merge_", seed);
        if (const auto found = attempt([&] { return lesson11::merge_partials(pa, pb); })) expect_partial(*found, whole, what);
        if (const auto found = attempt([&] { return lesson11::merge_partials(pb, pa); }))
            expect_partial(*found, whole, what + ", the halves swapped");
        // a side that has seen no key adds nothing, and two empty sides stay empty
        const float inf = std::numeric_limits<float>::infinity();
        const PartialAttention empty{wb::full({4}, -inf), wb::zeros({4}), wb::zeros({4, 2})};
        if (const auto found = attempt([&] { return lesson11::merge_partials(empty, pa); }))
            expect_partial(*found, pa, "merge_partials(empty, a) for " + what + ": a itself");
        if (const auto found = attempt([&] { return lesson11::merge_partials(empty, empty); }))
            expect_partial(*found, empty, "merge_partials(empty, empty): still empty (m -inf, l 0, out 0), no NaN");
    }
}

BOOST_AUTO_TEST_CASE(exercise_11_2, *utf::description("RoPE on one vector at one position")) {
    const auto book = attempt([] { return lesson11::rope(Tensor{1.0f, 0.0f}, 1); });
    if (!book) return;
    expect_close(*book, Tensor{std::cos(1.0f), std::sin(1.0f)}, "rope([1, 0], 1)");
    for (const int seed : kSeeds)
        for (const int d : {8, 16}) {
            const std::string x_name = "ex_rope_x_seed" + std::to_string(seed) + "_d" + std::to_string(d);
            const Tensor x = oracle(x_name);
            for (const std::size_t pos : {0, 1, 5, 100, 4096}) {
                const auto found = attempt([&] { return lesson11::rope(x, pos); });
                if (found)
                    expect_close(*found,
                                 oracle("ex_rope_out_seed" + std::to_string(seed) + "_d" + std::to_string(d) + "_pos" +
                                        std::to_string(pos)),
                                 "rope(x, " + std::to_string(pos) + ") with torch.manual_seed(" + std::to_string(seed) +
                                     "); x = torch.randn(" + std::to_string(d) + ")");
            }
        }
}

BOOST_AUTO_TEST_CASE(exercise_11_3, *utf::description("attention for one new token with a KV cache")) {
    for (const int seed : kSeeds) {
        const Tensor q = oracle(seeded("ex_cache_q", seed)), k = oracle(seeded("ex_cache_k", seed)),
                     v = oracle(seeded("ex_cache_v", seed)), expected = oracle(seeded("ex_cache_out", seed));
        Tensor k_cache(wb::Shape{0, 4}), v_cache(wb::Shape{0, 4});
        for (std::size_t t = 0; t < q.size(0); ++t) {
            const std::string what = "token " + std::to_string(t) + " of q, k, v = torch.rand(7, 4) * 2 - 1 each "
                                     "(torch.manual_seed(" + std::to_string(seed) + ")), fed one at a time from empty caches";
            const auto found =
                attempt([&] { return lesson11::attend_with_cache(q.row(t), k.row(t), v.row(t), k_cache, v_cache); });
            if (!found) return;
            if (!expect_close(*found, expected.row(t), what + ": the causal attention's row " + std::to_string(t)))
                return;
            if (!expect_true(k_cache.shape() == wb::Shape{t + 1, 4} && v_cache.shape() == wb::Shape{t + 1, 4},
                             what + ": the caches should hold " + std::to_string(t + 1) + " rows of 4 after it, "
                             "found k_cache " + wb::to_string(k_cache.shape()) + ", v_cache " +
                                 wb::to_string(v_cache.shape())))
                return;
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
