// Lesson 03 prints the book's numbers: every tensor the oracle script printed
// with torch (data/reference/lesson03.txt) appears verbatim in the lesson's output.
#include <cstdio>
#include <string>

#include <boost/test/unit_test.hpp>

#include "lib/reference_file.hpp"
#include "tests/support/printed_in_order.hpp"
#include "tests/support/run_program.hpp"

using wb::testing::run_program;

BOOST_AUTO_TEST_SUITE(lesson03_walkthrough)

BOOST_AUTO_TEST_CASE(prints_every_tensor_of_the_book_as_torch_does) {
    const std::string output = run_program("'" WB_BINARY_DIR "/bin/lesson03'");
    const wb::ReferenceFile oracle(WB_SOURCE_DIR "/data/reference/lesson03.txt");
    wb::testing::expect_printed_in_order(
        output, oracle,
        {"inputs", "query", "attn_scores_2", "dot_by_loop", "dot_torch", "attn_scores_2_matmul", "attn_weights_2_tmp",
         "attn_weights_2_tmp_sum", "attn_weights_2_naive", "attn_weights_2_naive_sum", "attn_weights_2",
         "attn_weights_2_sum", "overflow_naive", "overflow_stable", "context_vec_2", "attn_scores_loop", "attn_scores",
         "attn_weights", "attn_weights_row_sums", "all_context_vecs", "context_vec_2"});
}

BOOST_AUTO_TEST_CASE(rejects_a_query_outside_the_inputs) {
    const std::string output = run_program("'" WB_BINARY_DIR "/bin/lesson03' --query 7 2>&1; echo exit=$?");
    BOOST_TEST(output.find("error: --query 7 is not a token: the inputs have tokens 1 to 6") != std::string::npos, output);
    BOOST_TEST(output.find("exit=1") != std::string::npos, output);
}

BOOST_AUTO_TEST_CASE(rejects_an_unknown_flag_and_lists_the_accepted_ones) {
    const std::string output = run_program("'" WB_BINARY_DIR "/bin/lesson03' --qeury 3 2>&1; echo exit=$?");
    BOOST_TEST(output.find("--qeury") != std::string::npos, output);
    BOOST_TEST(output.find("--inputs FILE") != std::string::npos, output);
    BOOST_TEST(output.find("--query N") != std::string::npos, output);
    BOOST_TEST(output.find("exit=2") != std::string::npos, output);
}

BOOST_AUTO_TEST_CASE(reads_embeddings_from_a_file_and_names_a_bad_one) {
    const std::string good = "/tmp/wb_lesson03_good.txt", bad = "/tmp/wb_lesson03_bad.txt";
    std::FILE* f = std::fopen(good.c_str(), "w");
    std::fputs("cat 1 0\ndog 0 1\n", f);
    std::fclose(f);
    f = std::fopen(bad.c_str(), "w");
    std::fputs("cat 1 0\ndog 0\n", f);
    std::fclose(f);
    const std::string ok = run_program("'" WB_BINARY_DIR "/bin/lesson03' --query 1 --inputs " + good);
    BOOST_TEST(ok.find("tokens: cat dog") != std::string::npos, ok);
    BOOST_TEST(ok.find("The query x(1) \"cat\"") != std::string::npos, ok);
    const std::string err = run_program("'" WB_BINARY_DIR "/bin/lesson03' --inputs " + bad + " 2>&1; echo exit=$?");
    BOOST_TEST(err.find("error: " + bad + ":2: this row has 1 value, but the row on line 1 has 2") != std::string::npos, err);
    BOOST_TEST(err.find("exit=1") != std::string::npos, err);
    std::remove(good.c_str());
    std::remove(bad.c_str());
}

BOOST_AUTO_TEST_SUITE_END()
