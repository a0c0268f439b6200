// Sampling names from a GPTModel (lib/gpt_sample.hpp): the loop reads the last
// position's prediction, stops at '.', and cuts a name at the context length; the
// same generator seed gives the same names.
#include <string>

#include <boost/test/unit_test.hpp>

#include "lib/gpt.hpp"
#include "lib/gpt_sample.hpp"
#include "lib/ops.hpp"

namespace {

// A model that predicts `ix` with probability ~1 wherever it is: the final LayerNorm
// outputs its shift (scale 0), a unit vector, and the head turns that into a logit of
// 100 for ix and 0 for the rest.
wb::GPTModel certain_of(std::size_t ix) {
    wb::Generator g(1);
    wb::GPTModel model(wb::GPTConfig{.vocab_size = 27, .context_length = 16, .emb_dim = 8, .n_heads = 2, .n_layers = 1}, g);
    model.final_norm.scale = wb::zeros({8});
    model.final_norm.shift = wb::zeros({8});
    model.final_norm.shift(0) = 1.0f;
    model.out_head.weight = wb::zeros({27, 8});
    model.out_head.weight(ix, 0) = 100.0f;
    return model;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gpt_sample)

BOOST_AUTO_TEST_CASE(a_name_ends_at_the_first_dot) {
    wb::GPTModel model = certain_of(0);
    wb::Generator g(5);
    BOOST_TEST(wb::sample_word(model, g) == ".");
}

BOOST_AUTO_TEST_CASE(a_name_is_cut_at_the_context_length) {
    wb::GPTModel model = certain_of(5);  // 'e' forever
    wb::Generator g(5);
    BOOST_TEST(wb::sample_word(model, g) == std::string(16, 'e'));
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_names) {
    wb::Generator init(3);
    wb::GPTModel model(wb::GPTConfig{.vocab_size = 27, .context_length = 16, .emb_dim = 8, .n_heads = 2, .n_layers = 1},
                       init);
    wb::Generator a(9), b(9);
    std::string all_a, all_b;
    for (int i = 0; i < 5; ++i) {
        const std::string name = wb::sample_word(model, a);
        BOOST_TEST((name.back() == '.' || name.size() == 16u), name);
        all_a += name;
        all_b += wb::sample_word(model, b);
    }
    BOOST_TEST(all_a == all_b);
    BOOST_TEST(all_a.size() > 5u);  // an untrained model rarely ends a name at once
}

BOOST_AUTO_TEST_SUITE_END()
