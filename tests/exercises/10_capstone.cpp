// Lesson 10's exercise, checked against torch.optim.AdamW (data/reference/layers.txt,
// written by data/reference/layers.py): six steps on a weight that decays and a bias
// that does not, with torch's gradients. Built twice: with solutions/ (in the test
// suite) and with the student's file (`./workbook check 10`).
#include <cstdlib>
#include <string>

#include <boost/test/unit_test.hpp>

#include "exercises.hpp"
#include "tests/support/exercise_check.hpp"

namespace utf = boost::unit_test;
using lesson10::Tensor;
using wb::testing::attempt;
using wb::testing::expect_close;
using wb::testing::expect_true;

namespace {

const wb::ReferenceFile& oracle() { return wb::testing::reference("layers.txt"); }


}  // namespace

BOOST_AUTO_TEST_SUITE(lesson10)

BOOST_AUTO_TEST_CASE(exercise_10_1, *utf::description("one AdamW step")) {
    const wb::ReferenceRecord& start = oracle()["adamw_weight_start"];
    lesson10::AdamWSettings decayed;
    decayed.lr = start.float32("lr");
    decayed.beta1 = start.float32("beta1");
    decayed.beta2 = start.float32("beta2");
    decayed.eps = start.float32("eps");
    decayed.weight_decay = start.float32("weight_decay");
    lesson10::AdamWSettings not_decayed = decayed;
    not_decayed.weight_decay = 0.0f;
    for (const auto& [name, s] : {std::pair{std::string("weight"), decayed}, std::pair{std::string("bias"), not_decayed}}) {
        Tensor p = oracle()["adamw_" + name + "_start"].tensor();
        Tensor m = wb::zeros(p.shape()), v = wb::zeros(p.shape());
        for (std::size_t t = 1; t <= 6; ++t) {
            const std::string n = std::to_string(t);
            const Tensor grad = oracle()["adamw_" + name + "_grad_" + n].tensor();
            const bool ran = attempt([&] {
                                 lesson10::adamw_step(p, grad, m, v, t, s);
                                 return true;
                             }).has_value();
            if (!ran) return;
            const std::string what = "the " + name + " after step " + n + " (lr " + std::to_string(s.lr) +
                                     ", weight_decay " + std::to_string(s.weight_decay) + ", betas and eps torch's)";
            if (!expect_close(p, oracle()["adamw_" + name + "_" + n].tensor(), what, 1e-6f, 1e-5f)) return;
        }
    }
    Tensor p = wb::zeros({2, 3}), grad = wb::zeros({3, 2}), m = wb::zeros({2, 3}), v = wb::zeros({2, 3});
    bool named = false;
    try {
        lesson10::adamw_step(p, grad, m, v, 1, decayed);
    } catch (const wb::ShapeError& e) {
        const std::string message = e.what();
        named = message.find("[2, 3]") != std::string::npos && message.find("[3, 2]") != std::string::npos;
    } catch (const std::exception&) {
    }
    if (!expect_true(named, "adamw_step with p [2, 3] and grad [3, 2] should throw wb::ShapeError naming both shapes"))
        return;
    Tensor q = wb::ones({2}), g = wb::ones({2}), m0 = wb::zeros({2}), v0 = wb::zeros({2});
    bool refused = false;
    try {
        lesson10::adamw_step(q, g, m0, v0, 0, decayed);
    } catch (const wb::ValueError&) {
        refused = true;
    } catch (const std::exception&) {
    }
    expect_true(refused, "adamw_step with t = 0 should throw wb::ValueError (steps count from 1; 1 - beta1^0 is 0)");
}

BOOST_AUTO_TEST_SUITE_END()
