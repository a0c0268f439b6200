// The optimisers: AdamW against torch.optim.AdamW on the capstone's tiny model
// (data/reference/lesson10.txt), weight decay that can be switched off per
// parameter, the warm-up/cosine schedule's shape, and the errors.
#include <cmath>
#include <string>

#include <boost/test/unit_test.hpp>

#include "lib/errors.hpp"
#include "lib/gpt.hpp"
#include "lib/optim.hpp"
#include "lib/reference_file.hpp"
#include "lib/train.hpp"

using wb::Tensor;

BOOST_AUTO_TEST_SUITE(optimisers)

BOOST_AUTO_TEST_CASE(adamw_steps_as_torch_does) {
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

BOOST_AUTO_TEST_CASE(weight_decay_only_where_asked) {
    // a zero gradient leaves m and v at zero: only the decay moves a parameter
    Tensor a = wb::full({3}, 2.0f), b = wb::full({3}, 2.0f), da(wb::Shape{3}), db(wb::Shape{3});
    wb::AdamW adamw({&a, &b}, {&da, &db}, {.weight_decay = 0.1}, {true, false});
    adamw.step(0.5f);
    BOOST_TEST(a(0) == 2.0f * (1.0f - 0.5f * 0.1f), boost::test_tools::tolerance(1e-7f));
    BOOST_TEST(b(0) == 2.0f);
}

BOOST_AUTO_TEST_CASE(warmup_then_cosine) {
    const auto lr = wb::warmup_cosine(1e-3f, 10, 110, 1e-4f);
    BOOST_TEST(lr(0) == 1e-4f, boost::test_tools::tolerance(1e-6f));  // max / 10
    BOOST_TEST(lr(9) == 1e-3f, boost::test_tools::tolerance(1e-6f));
    BOOST_TEST(lr(60) == 5.5e-4f, boost::test_tools::tolerance(1e-5f));  // halfway down the cosine
    BOOST_TEST(lr(110) == 1e-4f, boost::test_tools::tolerance(1e-6f));
    BOOST_TEST(lr(500) == 1e-4f, boost::test_tools::tolerance(1e-6f));
    for (std::size_t s = 10; s < 110; ++s) BOOST_TEST(lr(s + 1) <= lr(s));
    BOOST_CHECK_THROW(wb::warmup_cosine(1e-3f, 20, 10, 0.0f), wb::ValueError);
    BOOST_CHECK_THROW(wb::warmup_cosine(1e-3f, 2, 10, 1e-2f), wb::ValueError);
}

BOOST_AUTO_TEST_CASE(mismatched_gradients_are_named) {
    Tensor p(wb::Shape{2, 3}), dp(wb::Shape{3, 2});
    BOOST_CHECK_EXCEPTION(wb::AdamW({&p}, {&dp}), wb::ShapeError, [](const wb::ShapeError& e) {
        return std::string(e.what()).find("AdamW: parameter 0 has shape [2, 3] but its gradient [3, 2]") != std::string::npos;
    });
    BOOST_CHECK_THROW(wb::AdamW({&p}, {}), wb::ValueError);
}

BOOST_AUTO_TEST_SUITE_END()
