// RoPE (lib/rope.hpp): torch's values (data/reference/lesson11.txt), the relative
// position property, norms kept, position 0 unchanged, errors. The KV cache
// (lib/kv_cache.hpp): generating with the cache gives the logits of a full forward
// over the prefix at every step, and refuses what it cannot do.
#include <cmath>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lib/errors.hpp"
#include "lib/gpt.hpp"
#include "lib/kv_cache.hpp"
#include "lib/ops.hpp"
#include "lib/random.hpp"
#include "lib/reference_file.hpp"
#include "lib/rope.hpp"
#include "tests/support/exercise_check.hpp"

using wb::Tensor;

namespace {

float largest_difference(const Tensor& a, const Tensor& b) {
    BOOST_REQUIRE(a.shape() == b.shape());
    float m = 0.0f;
    for (std::size_t i = 0; i < a.numel(); ++i) {
        const float d = std::abs(a.values()[i] - b.values()[i]);
        if (!(d <= m)) m = std::isnan(d) ? INFINITY : d;
    }
    return m;
}

const wb::ReferenceFile& oracle() { return wb::testing::reference("lesson11.txt"); }

}  // namespace

BOOST_AUTO_TEST_SUITE(rope)

BOOST_AUTO_TEST_CASE(agrees_with_hugging_face_llama_in_torch) {
    const Tensor x = oracle()["rope_x"].tensor();  // (T, 8)
    std::vector<std::size_t> positions(x.size(0));
    for (std::size_t t = 0; t < positions.size(); ++t) positions[t] = t * 7;  // 0, 7, 14, ...
    BOOST_TEST(largest_difference(wb::apply_rope(x, positions), oracle()["rope_x_rotated"].tensor()) < 1e-5f);
    BOOST_TEST(largest_difference(wb::apply_rope(x, positions, 500000.0), oracle()["rope_x_rotated_500k"].tensor()) <
               1e-5f);
    const std::vector<float> inv_freq = wb::rope_inverse_frequencies(8);
    BOOST_TEST(largest_difference(Tensor({4}, inv_freq), oracle()["rope_inv_freq"].tensor()) == 0.0f);
}

BOOST_AUTO_TEST_CASE(a_score_depends_on_the_distance_only) {
    wb::Generator g(5);
    const Tensor q = g.randn({16}), k = g.randn({16});
    for (const std::size_t shift : {1, 10, 250}) {
        for (std::size_t m = 0; m < 6; ++m)
            for (std::size_t n = 0; n < 6; ++n) {
                const float here = wb::dot(wb::apply_rope(q, m), wb::apply_rope(k, n)).item();
                const float there = wb::dot(wb::apply_rope(q, m + shift), wb::apply_rope(k, n + shift)).item();
                BOOST_TEST(std::abs(here - there) < 1e-4f, "m " << m << ", n " << n << ", shift " << shift);
            }
    }
    // ... and it does depend on the distance
    const float near = wb::dot(wb::apply_rope(q, 3), wb::apply_rope(k, 3)).item();
    const float far = wb::dot(wb::apply_rope(q, 5), wb::apply_rope(k, 3)).item();
    BOOST_TEST(std::abs(near - far) > 1e-2f);
}

BOOST_AUTO_TEST_CASE(a_rotation_keeps_the_length_and_position_0_changes_nothing) {
    wb::Generator g(6);
    const Tensor x = g.randn({64});
    BOOST_TEST(wb::apply_rope(x, 0).values() == x.values());
    for (const std::size_t m : {1, 100, 131071}) {
        const Tensor r = wb::apply_rope(x, m);
        BOOST_TEST(std::abs(wb::dot(r, r).item() - wb::dot(x, x).item()) < 1e-3f);
    }
}

BOOST_AUTO_TEST_CASE(refuses_odd_widths_and_bad_bases) {
    BOOST_CHECK_THROW(wb::apply_rope(wb::ones({5}), 1), wb::ValueError);
    BOOST_CHECK_THROW(wb::apply_rope(wb::ones({4}), 1, 1.0), wb::ValueError);
    BOOST_CHECK_THROW(wb::apply_rope(wb::ones({3, 4}), std::vector<std::size_t>{0, 1}), wb::ShapeError);
    BOOST_CHECK_THROW(wb::apply_rope(wb::ones({3, 4}), 1), wb::ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(kv_cache)

BOOST_AUTO_TEST_CASE(cached_logits_equal_a_full_forward_over_the_prefix_at_every_step) {
    for (const std::size_t layers : {1, 2}) {
        wb::Generator g(123);
        wb::GPTModel model({.vocab_size = 27, .context_length = 24, .emb_dim = 16, .n_heads = 4, .n_layers = layers}, g);
        wb::CachedGPT cached(model);
        wb::Generator tokens(7);
        std::vector<std::size_t> prefix;
        for (const std::int64_t t : tokens.randint(0, 27, 24)) {
            prefix.push_back(static_cast<std::size_t>(t));
            const Tensor with_cache = cached.step(prefix.back());
            const Tensor without = wb::last_logits(model, prefix);
            BOOST_TEST(largest_difference(with_cache, without) < 2e-5f, "layers " << layers << ", step "
                                                                                  << prefix.size());
        }
        BOOST_TEST(cached.length() == 24u);
        BOOST_TEST(cached.cache_bytes() == 2u * layers * 24 * 16 * 4);
    }
}

BOOST_AUTO_TEST_CASE(reset_starts_a_new_sequence) {
    wb::Generator g(1);
    wb::GPTModel model({.vocab_size = 5, .context_length = 4, .emb_dim = 8, .n_heads = 2, .n_layers = 1}, g);
    wb::CachedGPT cached(model);
    const Tensor first = cached.step(3);
    cached.step(1);
    cached.reset();
    BOOST_TEST(cached.length() == 0u);
    BOOST_TEST(cached.step(3).values() == first.values());
}

BOOST_AUTO_TEST_CASE(refuses_bad_tokens_a_full_context_and_experts) {
    wb::Generator g(1);
    wb::GPTModel model({.vocab_size = 5, .context_length = 2, .emb_dim = 8, .n_heads = 2, .n_layers = 1}, g);
    wb::CachedGPT cached(model);
    BOOST_CHECK_THROW(cached.step(5), wb::IndexError);
    cached.step(0);
    cached.step(1);
    BOOST_CHECK_THROW(cached.step(2), wb::ValueError);
    wb::Generator g2(1);
    wb::GPTModel moe({.vocab_size = 5, .context_length = 2, .emb_dim = 8, .n_heads = 2, .n_layers = 1, .num_experts = 2},
                     g2);
    BOOST_CHECK_THROW(wb::CachedGPT{moe}, wb::ValueError);
}

BOOST_AUTO_TEST_SUITE_END()
