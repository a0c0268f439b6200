// Lesson 12 under mpirun: on 1 to 4 ranks, with even and uneven splits, causal and
// full, the output rank 0 gathers equals one process's (the lesson checks it and
// says so), prints torch's numbers (data/reference/lesson12.txt), and the bytes the
// ranks counted equal the formula. And the block kernel --scaling times computes
// what lib's attend_block computes.
#include <cmath>
#include <cstdio>
#include <tuple>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "block_kernel.hpp"
#include "lib/attention.hpp"
#include "lib/ops.hpp"
#include "lib/random.hpp"
#include "lib/reference_file.hpp"
#include "tests/support/printed_in_order.hpp"
#include "tests/support/run_program.hpp"

using wb::testing::run_program;

namespace {

const wb::ReferenceFile& oracle() {
    static const wb::ReferenceFile file(WB_SOURCE_DIR "/data/reference/lesson12.txt");
    return file;
}

// mpirun -n RANKS lesson12 ARGS, as ./workbook starts it (WB_MPIRUN holds "RANKS").
std::string lesson12(int ranks, const std::string& args) {
    std::string command = WB_MPIRUN;
    command.replace(command.find("RANKS"), 5, std::to_string(ranks));
    return command + " '" WB_BINARY_DIR "/bin/lesson12' " + args;
}

void expect_agreement(const std::string& output) {
    BOOST_TEST(output.find("equals one process's within") != std::string::npos, output);
    BOOST_TEST(output.find("process's within 1e-0") != std::string::npos);
    BOOST_TEST(output.find(": NO") == std::string::npos, output);
    BOOST_TEST(output.find("bytes: as the formula says") != std::string::npos, output);
}

float largest_difference(const wb::Tensor& a, const wb::Tensor& b) {
    BOOST_TEST_REQUIRE(a.shape() == b.shape());
    float m = 0.0f;
    for (std::size_t i = 0; i < a.numel(); ++i) m = std::max(m, std::abs(a.values()[i] - b.values()[i]));
    return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson12_ring)

// A rank's own block is masked causally, a block from the past not at all: the
// partial result's output is then causal (or full) attention over that block.
BOOST_AUTO_TEST_CASE(a_held_block_is_masked_only_on_the_diagonal) {
    wb::Generator g(3);
    for (const auto& [n, diagonal] : std::vector<std::tuple<std::size_t, bool>>{{37, false}, {600, true}, {5, true}, {1, true}}) {
        const wb::Tensor q = g.randn({n, 16}) * 3.0f, k = g.randn({n, 16}), v = g.randn({n, 8});
        const wb::Tensor mask = diagonal ? wb::causal_mask(n) : wb::zeros({n, n});
        const wb::Tensor dense = wb::scaled_dot_product_attention(q, k, v, mask).context;
        BOOST_TEST(largest_difference(ring::attend_held_block(q, k, v, diagonal).out, dense) <= 1e-5f,
                   n << " tokens, diagonal " << diagonal);
    }
}

BOOST_AUTO_TEST_CASE(prints_the_book_numbers_on_4_ranks) {
    const std::string output = run_program(lesson12(4, "--ranks 4 --no-timing"));
    // the gathered output, then one process's: both lesson 05's causal context
    wb::testing::expect_printed_in_order(output, oracle(), {"queries", "keys", "values", "context", "context"});
    expect_agreement(output);
    BOOST_TEST(output.find("rank 2: token 4 (one)") != std::string::npos, output);  // 6 = 2 + 2 + 1 + 1
    BOOST_TEST(output.find("Sent, counted by the ranks: 176 bytes") != std::string::npos, output);
}

BOOST_AUTO_TEST_CASE(one_rank) {
    const std::string output = run_program(lesson12(1, "--ranks 1 --no-timing"));
    wb::testing::expect_printed_in_order(output, oracle(), {"context", "context"});
    expect_agreement(output);
    BOOST_TEST(output.find("Sent, counted by the ranks: 0 bytes") != std::string::npos, output);
}

BOOST_AUTO_TEST_CASE(two_ranks) {
    const std::string output = run_program(lesson12(2, "--ranks 2 --tokens 1000 --dim 16 --no-timing"));
    wb::testing::expect_printed_in_order(output, oracle(), {"random_v_corners", "random_context_corners"});
    expect_agreement(output);
}

BOOST_AUTO_TEST_CASE(three_ranks_uneven_split) {
    const std::string output = run_program(lesson12(3, "--ranks 3 --tokens 1000 --dim 16 --no-timing"));
    wb::testing::expect_printed_in_order(output, oracle(), {"random_v_corners", "random_context_corners"});
    expect_agreement(output);
    BOOST_TEST(output.find("rank 0: tokens 0-333") != std::string::npos, output);  // 334 + 333 + 333
    BOOST_TEST(output.find("rank 2: tokens 667-999") != std::string::npos, output);
}

BOOST_AUTO_TEST_CASE(four_ranks_long_sequence) {
    expect_agreement(run_program(lesson12(4, "--ranks 4 --tokens 1001 --dim 32 --seed 5 --no-timing")));
}

BOOST_AUTO_TEST_CASE(full_attention_on_3_ranks) {
    const std::string output = run_program(lesson12(3, "--ranks 3 --no-causal --no-timing"));
    wb::testing::expect_printed_in_order(output, oracle(), {"context_full", "context_full"});
    expect_agreement(output);
    // every block of 2 tokens (16 bytes a token) makes 2 hops: 3 x 2 x 32
    BOOST_TEST(output.find("Sent, counted by the ranks: 192 bytes") != std::string::npos, output);
}

BOOST_AUTO_TEST_CASE(refuses_a_rank_count_it_was_not_started_with) {
    FILE* pipe = popen((lesson12(2, "--ranks 3") + " 2>&1").c_str(), "r");
    BOOST_TEST_REQUIRE(pipe != nullptr);
    std::string out;
    char buffer[4096];
    for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
    BOOST_TEST(pclose(pipe) != 0, out);
    BOOST_TEST(out.find("--ranks 3 but mpirun started 2 processes") != std::string::npos, out);
}

BOOST_AUTO_TEST_SUITE_END()
