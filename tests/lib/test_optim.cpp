// AdamW against torch.optim.AdamW, bit for bit on its own and within 1e-5 on the
// capstone's tiny GPT (data/reference/lesson10.txt), and nanoGPT's warm-up + cosine
// learning rate against its Python formula (data/reference/layers.txt).
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lib/errors.hpp"
#include "lib/gpt.hpp"
#include "lib/optim.hpp"
#include "lib/random.hpp"
#include "lib/reference_file.hpp"
#include "lib/train.hpp"

using wb::Tensor;

namespace {

const wb::ReferenceFile& oracle() {
    static const wb::ReferenceFile file(WB_SOURCE_DIR "/data/reference/layers.txt");
    return file;
}


// How many elements of `ours` differ from torch's in any bit; reports the first and
// the largest difference.
std::size_t differing_bits(const Tensor& ours, const Tensor& torch, const std::string& what) {
    BOOST_TEST_REQUIRE(wb::to_string(ours.shape()) == wb::to_string(torch.shape()), what);
    std::size_t differing = 0;
    double largest = 0.0;
    for (std::size_t i = 0; i < ours.numel(); ++i) {
        const float a = ours.data()[i], b = torch.data()[i];
        if (std::memcmp(&a, &b, sizeof a) == 0) continue;
        if (differing++ == 0) BOOST_TEST_MESSAGE(what << "[" << i << "]: ours " << a << ", torch " << b);
        largest = std::max(largest, std::abs(static_cast<double>(a) - b));
    }
    if (differing != 0) BOOST_TEST_MESSAGE(what << ": largest difference " << largest);
    return differing;
}

wb::AdamWOptions options_of(const wb::ReferenceRecord& r) {
    wb::AdamWOptions o;
    o.beta1 = r.float32("beta1");
    o.beta2 = r.float32("beta2");
    o.eps = r.float32("eps");
    o.weight_decay = r.float32("weight_decay");
    return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(adamw)

BOOST_AUTO_TEST_CASE(six_steps_of_a_decayed_weight_and_an_undecayed_bias_match_torch_bit_for_bit) {
    const wb::ReferenceRecord& start = oracle()["adamw_weight_start"];
    Tensor weight = start.tensor(), bias = oracle()["adamw_bias_start"].tensor();
    Tensor dweight = wb::zeros(weight.shape()), dbias = wb::zeros(bias.shape());
    const float lr = start.float32("lr");
    wb::AdamW optimizer({&weight, &bias}, {&dweight, &dbias}, options_of(start), {true, false});
    const auto steps = static_cast<std::size_t>(start.integer("steps"));
    BOOST_TEST(steps == 6u);
    for (std::size_t t = 1; t <= steps; ++t) {
        const std::string n = std::to_string(t);
        dweight = oracle()["adamw_weight_grad_" + n].tensor();
        dbias = oracle()["adamw_bias_grad_" + n].tensor();
        optimizer.step(lr);
        BOOST_TEST(optimizer.steps() == t);
        BOOST_TEST(differing_bits(weight, oracle()["adamw_weight_" + n].tensor(), "weight after step " + n) == 0u);
        BOOST_TEST(differing_bits(bias, oracle()["adamw_bias_" + n].tensor(), "bias after step " + n) == 0u);
    }
}

BOOST_AUTO_TEST_CASE(thirty_steps_on_a_thousand_elements_match_torch_bit_for_bit) {
    // long enough that every rounding step of the update shows in some element
    const wb::ReferenceRecord& r = oracle()["adamw_long"];
    wb::Generator g(static_cast<std::uint64_t>(r.integer("seed")));
    const auto n = static_cast<std::size_t>(r.integer("n"));
    Tensor p = g.randn({n}), dp = wb::zeros({n});
    const float lr = r.float32("lr");
    // the oracle gave torch float32 hyperparameters (f32(0.9), not 0.9), so the same here
    wb::AdamWOptions options{.beta1 = 0.9f, .beta2 = 0.999f, .eps = 1e-8f};
    options.weight_decay = r.float32("weight_decay");
    wb::AdamW optimizer({&p}, {&dp}, options);
    for (std::int64_t t = 0; t < r.integer("steps"); ++t) {
        dp = g.randn({n});
        optimizer.step(lr);
    }
    BOOST_TEST(differing_bits(p, r.tensor(), "adamw_long") == 0u);
}

BOOST_AUTO_TEST_CASE(three_steps_of_the_tiny_gpt_match_torch) {
    static const wb::ReferenceFile oracle(WB_SOURCE_DIR "/data/reference/lesson10.txt");
    std::vector<std::size_t> x;
    for (const std::int64_t v : oracle["tiny_x"].int_values()) x.push_back(static_cast<std::size_t>(v));
    const std::vector<std::int64_t> y = oracle["tiny_y"].int_values();
    wb::GPTConfig cfg;
    cfg.emb_dim = 8;
    cfg.n_heads = 2;
    cfg.n_layers = 2;
    wb::Generator g(123);
    wb::GPTModel model(cfg, g);
    wb::AdamW adamw(model.parameters(), model.gradients(), {.beta1 = 0.9, .beta2 = 0.99, .eps = 1e-8, .weight_decay = 0.01});
    for (int i = 0; i < 3; ++i) {
        model.forward(x, 3, 16);
        const float loss = model.loss(y);
        BOOST_TEST(loss == oracle["tiny_adamw_loss" + std::to_string(i)].tensor().item(), boost::test_tools::tolerance(1e-5f));
        adamw.zero_grad();
        model.backward();
        adamw.step(1e-3f);
    }
    BOOST_TEST(adamw.steps() == 3u);
    for (const auto& [found, name] : {std::pair{&model.tok_emb, "tok_emb"}, {&model.out_head.weight, "out_head"}}) {
        const Tensor expected = oracle[std::string("tiny_adamw_after_") + name + "_weight"].tensor();
        BOOST_REQUIRE(found->shape() == expected.shape());
        for (std::size_t i = 0; i < expected.numel(); ++i)
            BOOST_TEST(found->values()[i] == expected.values()[i], name << "[" << i << "]" << boost::test_tools::tolerance(1e-5f));
    }
}

BOOST_AUTO_TEST_CASE(no_decay_flags_decays_all_and_a_false_flag_is_weight_decay_zero) {
    wb::Generator g(3);
    const Tensor start = g.randn({3, 4}), grad = g.randn({3, 4});
    const auto run = [&](float weight_decay, std::vector<bool> decay) {
        Tensor p = start, dp = grad;
        wb::AdamWOptions options;
        options.weight_decay = weight_decay;
        wb::AdamW optimizer({&p}, {&dp}, options, std::move(decay));
        for (int t = 0; t < 3; ++t) optimizer.step(0.1f);
        return p;
    };
    BOOST_TEST(run(0.5f, {}).values() == run(0.5f, {true}).values());
    BOOST_TEST(run(0.5f, {false}).values() == run(0.0f, {}).values());
    BOOST_TEST(run(0.5f, {false}).values() != run(0.5f, {true}).values());
}

BOOST_AUTO_TEST_CASE(zero_grad_zeroes_and_both_optimisers_run_through_the_base_class) {
    Tensor w = wb::ones({2, 2}), dw = wb::full({2, 2}, 0.5f);
    wb::SGD sgd({&w}, {&dw});
    wb::Optimizer& base = sgd;
    base.step(0.1f);
    BOOST_TEST(w(0, 0) == 1.0f - 0.1f * 0.5f);
    base.zero_grad();
    BOOST_TEST(dw.values() == std::vector<float>(4, 0.0f));
    dw = wb::full({2, 2}, 0.5f);
    wb::AdamW adamw({&w}, {&dw});
    wb::Optimizer& base2 = adamw;
    base2.step(0.1f);
    BOOST_TEST(w(0, 0) < 0.95f);  // the first Adam step moves by about lr
    base2.zero_grad();
    BOOST_TEST(dw.values() == std::vector<float>(4, 0.0f));
}

BOOST_AUTO_TEST_CASE(decay_matrices_decays_two_or_more_dimensions) {
    Tensor w = wb::zeros({4, 3}), b = wb::zeros({4}), emb = wb::zeros({2, 3, 4}), ln = wb::zeros({3});
    BOOST_TEST(wb::decay_matrices({&w, &b, &emb, &ln}) == std::vector<bool>({true, false, true, false}));
}

BOOST_AUTO_TEST_CASE(mismatches_and_bad_options_are_named) {
    Tensor w = wb::zeros({3, 4}), b = wb::zeros({4}), dw = wb::zeros({3, 4}), db = wb::zeros({3});
    const auto says = [](const std::string& message) {
        return [message](const std::exception& e) { return std::string(e.what()) == message; };
    };
    BOOST_CHECK_EXCEPTION(wb::AdamW({&w, &b}, {&dw, &db}), wb::ShapeError,
                          says("AdamW: parameter 1 has shape [4] but its gradient [3]"));
    BOOST_CHECK_EXCEPTION(wb::AdamW({&w, &b}, {&dw}), wb::ValueError, says("AdamW: 2 parameters but 1 gradients"));
    BOOST_CHECK_EXCEPTION(wb::AdamW({&w}, {&dw}, {}, {true, false}), wb::ValueError,
                          says("AdamW: decay has 2 entries for 1 parameters (give one per parameter, or none to "
                               "decay all)"));
    wb::AdamWOptions bad_beta;
    bad_beta.beta2 = 1.0;
    BOOST_CHECK_EXCEPTION(wb::AdamW({&w}, {&dw}, bad_beta), wb::ValueError,
                          says("AdamW: invalid beta parameter at index 1: 1"));
    wb::AdamWOptions bad_decay;
    bad_decay.weight_decay = -0.1;
    BOOST_CHECK_EXCEPTION(wb::AdamW({&w}, {&dw}, bad_decay), wb::ValueError,
                          says("AdamW: invalid weight_decay value: -0.1"));
    wb::AdamW optimizer({&w}, {&dw});
    BOOST_CHECK_EXCEPTION(optimizer.step(std::nanf("")), wb::ValueError,
                          says("AdamW: the learning rate must be a finite number >= 0, got nan"));
    BOOST_TEST(optimizer.steps() == 0u);  // a refused step is not counted
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(lr_schedule)

BOOST_AUTO_TEST_CASE(warmup_cosine_matches_nanogpts_formula_bit_for_bit) {
    const wb::ReferenceRecord& r = oracle()["warmup_cosine"];
    const auto lr = wb::warmup_cosine(r.float32("max_lr"), static_cast<std::size_t>(r.integer("warmup_steps")),
                                      static_cast<std::size_t>(r.integer("total_steps")), r.float32("min_lr"));
    std::istringstream at(r.field("at"));
    const Tensor expected = r.tensor();
    std::size_t step = 0, i = 0;
    while (at >> step) {
        BOOST_TEST_REQUIRE(i < expected.numel());
        const float ours = lr(step), theirs = expected.data()[i++];
        BOOST_TEST(std::memcmp(&ours, &theirs, sizeof ours) == 0, "step " << step << ": ours " << ours << ", Python "
                                                                          << theirs);
    }
    BOOST_TEST(i == expected.numel());
}

// The schedule's shape, from its definition: the values themselves are the oracle's
// (warmup_cosine_matches_nanogpts_formula_bit_for_bit above).
BOOST_AUTO_TEST_CASE(warmup_cosine_rises_to_max_lr_then_falls_to_min_lr) {
    const float max_lr = 1e-3f, min_lr = 1e-4f;
    const std::size_t warmup = 10, total = 100;
    const auto lr = wb::warmup_cosine(max_lr, warmup, total, min_lr);
    for (std::size_t s = 0; s + 1 < warmup; ++s) BOOST_TEST(lr(s) < lr(s + 1), "warm-up step " << s);
    BOOST_TEST(lr(warmup - 1) == max_lr);  // the last warm-up step reaches max_lr
    BOOST_TEST(lr(warmup) == max_lr);      // where the cosine starts
    for (std::size_t s = warmup; s < total; ++s) BOOST_TEST(lr(s + 1) <= lr(s), "step " << s);
    BOOST_TEST(lr(total) == min_lr);
    BOOST_TEST(lr(10 * total) == min_lr);
}

BOOST_AUTO_TEST_CASE(warmup_cosine_edge_cases) {
    const auto no_warmup = wb::warmup_cosine(1.0f, 0, 4, 0.0f);
    BOOST_TEST(no_warmup(0) == 1.0f);  // the cosine from its top at once
    BOOST_TEST(no_warmup(4) == 0.0f);
    const auto only_warmup = wb::warmup_cosine(1.0f, 4, 4, 0.5f);
    BOOST_TEST(only_warmup(3) == 1.0f);
    BOOST_TEST(only_warmup(4) == 0.5f);
}

BOOST_AUTO_TEST_CASE(warmup_cosine_names_bad_arguments) {
    const auto says = [](const std::string& message) {
        return [message](const wb::ValueError& e) { return std::string(e.what()) == message; };
    };
    BOOST_CHECK_EXCEPTION(wb::warmup_cosine(1e-3f, 20, 10, 1e-4f), wb::ValueError,
                          says("warmup_cosine: warmup_steps (20) must not exceed total_steps (10)"));
    BOOST_CHECK_EXCEPTION(wb::warmup_cosine(1e-4f, 10, 100, 1e-3f), wb::ValueError,
                          says("warmup_cosine: needs 0 <= min_lr <= max_lr, finite, got min_lr 0.001 and max_lr 0.0001"));
    BOOST_CHECK_THROW(wb::warmup_cosine(1e-3f, 10, 100, -1e-4f), wb::ValueError);
    BOOST_CHECK_THROW(wb::warmup_cosine(std::nanf(""), 10, 100, 1e-4f), wb::ValueError);
    BOOST_CHECK_THROW(wb::warmup_cosine(std::numeric_limits<float>::infinity(), 10, 100, 1e-4f), wb::ValueError);
}

BOOST_AUTO_TEST_SUITE_END()
