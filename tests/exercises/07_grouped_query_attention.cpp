// Lesson 07's exercises, checked against the torch oracle (data/reference/lesson07.txt).
// Built twice: with solutions/ (in the test suite) and with the student's file
// (`./workbook check 07`).
#include <string>

#include <boost/test/unit_test.hpp>

#include "exercises.hpp"
#include "tests/support/exercise_check.hpp"

namespace utf = boost::unit_test;
using lesson07::Tensor;
using wb::testing::attempt;
using wb::testing::expect_close;
using wb::testing::expect_true;

namespace {

const wb::ReferenceFile& oracle() { return wb::testing::reference("lesson07.txt"); }

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson07)

BOOST_AUTO_TEST_CASE(exercise_7_1, *utf::description("which K/V head a query head reads")) {
    for (const auto& [heads, kv_heads] : {std::pair{4, 2}, {8, 2}, {6, 3}, {32, 8}, {4, 1}, {4, 4}, {12, 4}}) {
        const auto expected = oracle()["ex_kv_head_of_H" + std::to_string(heads) + "_kv" + std::to_string(kv_heads)]
                                  .int_values();
        for (std::size_t h = 0; h < expected.size(); ++h) {
            const auto found = attempt([&] {
                return lesson07::kv_head_of(h, static_cast<std::size_t>(heads), static_cast<std::size_t>(kv_heads));
            });
            if (!found) return;
            if (!expect_true(*found == static_cast<std::size_t>(expected[h]),
                             "kv_head_of(" + std::to_string(h) + ", " + std::to_string(heads) + ", " +
                                 std::to_string(kv_heads) + ") should be " + std::to_string(expected[h]) +
                                 " (torch.arange(kv_heads).repeat_interleave(heads // kv_heads)); got " +
                                 std::to_string(*found)))
                return;
        }
    }
}

BOOST_AUTO_TEST_CASE(exercise_7_2, *utf::description("repeat each K/V head for its group")) {
    for (const int seed : {7, 11}) {
        const std::string s = std::to_string(seed);
        const auto found = attempt([&] { return lesson07::repeat_kv(oracle()["ex_repeat_kv_x_seed" + s].tensor(), 3); });
        if (!found) return;
        if (!expect_close(*found, oracle()["ex_repeat_kv_groups3_seed" + s].tensor(),
                          "repeat_kv(x, 3) with x = torch.rand(2, 2, 5, 3) after torch.manual_seed(" + s + ")"))
            return;
    }
}

BOOST_AUTO_TEST_CASE(exercise_7_3, *utf::description("the bytes of a KV cache")) {
    for (const std::string name : {"llama31_8b_gqa", "llama31_8b_mha", "llama31_8b_mqa", "llama31_70b",
                                   "llama2_7b_fp16", "gpt2_fp32", "one_token"}) {
        const wb::ReferenceRecord& r = oracle()["ex_kv_cache_" + name];
        const auto arg = [&](const char* key) { return static_cast<std::uint64_t>(r.integer(key)); };
        const auto found = attempt([&] {
            return lesson07::kv_cache_bytes(arg("layers"), arg("kv_heads"), arg("head_dim"), arg("bytes_per_value"),
                                            arg("tokens"));
        });
        if (!found) return;
        const std::string call = "kv_cache_bytes(" + r.field("layers") + ", " + r.field("kv_heads") + ", " +
                                 r.field("head_dim") + ", " + r.field("bytes_per_value") + ", " + r.field("tokens") + ")";
        if (!expect_true(*found == arg("value"), call + " should be " + r.field("value") +
                                                     " (a meta tensor's bytes in torch); got " + std::to_string(*found)))
            return;
    }
}

BOOST_AUTO_TEST_SUITE_END()
