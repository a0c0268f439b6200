// Lesson 09's exercises, checked against the torch oracle (data/reference/lesson09.txt):
// five routing cases (6 to 10 tokens, 3 to 8 experts, softmax of seeded randn), each
// with k = 1, 2, 3 and capacity factors 1.0, 1.25 and 2.0. Built twice: with
// solutions/ (in the test suite) and with the student's file (`./workbook check 09`).
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "exercises.hpp"
#include "lib/print.hpp"
#include "tests/support/exercise_check.hpp"

namespace utf = boost::unit_test;
using lesson09::Tensor;
using wb::testing::attempt;
using wb::testing::expect_close;
using wb::testing::expect_true;

namespace {

const wb::ReferenceFile& oracle() { return wb::testing::reference("lesson09.txt"); }

struct Case {
    std::string name;  // ex_route{i}_k{k}
    Tensor probs;
    std::size_t k;
    std::vector<std::size_t> experts;  // torch.topk's choices
};

// Every (routing case, k) the oracle recorded
std::vector<Case> cases() {
    std::vector<Case> all;
    for (int i = 0; i < 5; ++i) {
        const std::string route = "ex_route" + std::to_string(i);
        const Tensor probs = oracle()[route + "_probs"].tensor();
        for (std::size_t k = 1; k <= 3 && k <= probs.size(1); ++k) {
            const std::string name = route + "_k" + std::to_string(k);
            std::vector<std::size_t> experts;
            for (const std::int64_t e : oracle()[name + "_experts"].int_values()) experts.push_back(static_cast<std::size_t>(e));
            all.push_back({name, probs, k, experts});
        }
    }
    return all;
}

std::string describe(const Case& c) {
    return "for the probabilities of " + c.name.substr(0, c.name.find("_k")) + " (" + wb::format(c.probs) +
           ") with k = " + std::to_string(c.k);
}

template <typename T>
std::string list(const std::vector<T>& v) {
    std::string s = "{";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
    return s + "}";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson09)

BOOST_AUTO_TEST_CASE(exercise_9_1, *utf::description("top-k routing with renormalised weights")) {
    for (const Case& c : cases()) {
        const auto found = attempt([&] { return lesson09::top_k_routing(c.probs, c.k); });
        if (!found) return;
        if (!expect_true(found->experts == c.experts, "experts " + describe(c) + " should be " + list(c.experts) +
                                                          " (torch.topk, row by row); got " + list(found->experts)))
            return;
        if (!expect_close(found->weights, oracle()[c.name + "_weights"].tensor(), "weights " + describe(c)))
            return;
    }
}

BOOST_AUTO_TEST_CASE(exercise_9_2, *utf::description("the load-balancing loss")) {
    for (const Case& c : cases()) {
        const auto found = attempt([&] { return lesson09::load_balancing_loss(c.probs, c.experts, c.k, 0.01f); });
        if (!found) return;
        if (!expect_close(Tensor::scalar(*found), oracle()[c.name + "_aux_loss"].tensor(),
                          "load_balancing_loss(probs, experts " + list(c.experts) + ", k, alpha = 0.01) " + describe(c),
                          1e-7f, 1e-5f))
            return;
    }
}

BOOST_AUTO_TEST_CASE(exercise_9_3, *utf::description("expert capacity and dropped tokens")) {
    std::size_t dropped = 0;
    for (const Case& c : cases()) {
        const std::size_t experts = c.probs.size(1);
        for (const auto& [factor, tag] : {std::pair{1.0, "1_0"}, {1.25, "1_25"}, {2.0, "2_0"}}) {
            const auto found = attempt([&] { return lesson09::within_capacity(c.experts, c.k, experts, factor); });
            if (!found) return;
            const std::string name = c.name + "_cf" + tag;
            std::string factor_text = tag;  // "1_25" -> "1.25"
            factor_text[factor_text.find('_')] = '.';
            std::vector<int> expected, got;
            for (const std::int64_t kept : oracle()[name + "_kept"].int_values()) {
                expected.push_back(static_cast<int>(kept));
                dropped += kept == 0 ? 1 : 0;
            }
            for (const bool kept : *found) got.push_back(kept ? 1 : 0);
            if (!expect_true(got == expected,
                             "within_capacity(experts " + list(c.experts) + ", k = " + std::to_string(c.k) + ", " +
                                 std::to_string(experts) + " experts, capacity factor " + factor_text +
                                 ") should keep " + list(expected) + " (capacity " +
                                 std::to_string(oracle()[name + "_capacity"].integer("value")) + "); got " + list(got)))
                return;
        }
    }
    BOOST_TEST(dropped > 0u);  // the cases really exercise dropping
}

BOOST_AUTO_TEST_SUITE_END()
