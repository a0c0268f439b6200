// Lesson 02 prints makemore's numbers (data/reference/lesson02.txt): the neural
// bigram's losses, its weights turned probabilities and its names, the count
// model's loss, the split and the MLP's first loss. Losses after training steps
// are compared to within 1e-4 (float sums in another order); the rest as text.
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <sstream>
#include <string>

#include <boost/test/unit_test.hpp>

#include "lib/reference_file.hpp"
#include "lib/tensor.hpp"
#include "tests/support/run_program.hpp"

using wb::Tensor;
using wb::testing::numbers;
using wb::testing::run_program;

namespace {

const wb::ReferenceFile& oracle() {
    static const wb::ReferenceFile file(WB_SOURCE_DIR "/data/reference/lesson02.txt");
    return file;
}

const std::string& output() {
    static const std::string out =
        run_program("'" WB_BINARY_DIR "/bin/lesson02' --steps 1 --samples 0 --no-plots");
    return out;
}


}  // namespace

BOOST_AUTO_TEST_SUITE(lesson02_walkthrough)

BOOST_AUTO_TEST_CASE(the_neural_bigram_descends_as_torch_does) {
    const Tensor losses = oracle()["bigram_losses"].tensor();
    const std::regex line(R"(step +(\d+): loss (\d+\.\d+))");
    int seen = 0;
    for (auto it = std::sregex_iterator(output().begin(), output().end(), line); it != std::sregex_iterator(); ++it) {
        const auto step = std::stoul((*it)[1]);
        BOOST_TEST_REQUIRE(step < losses.numel());
        BOOST_TEST(std::abs(std::stod((*it)[2]) - losses.data()[step]) <= 1.5e-4, "step " << step);
        ++seen;
    }
    BOOST_TEST(seen == 11);  // steps 0, 10, ..., 90 and 99
}

BOOST_AUTO_TEST_CASE(prints_the_count_model_the_learned_row_and_the_names) {
    const std::string& out = output();
    BOOST_TEST(out.find("average NLL with add-one smoothing: " + oracle()["count_model_nll"].printed()) !=
               std::string::npos);
    const std::string marker = "W[0].exp() / W[0].exp().sum() = ";
    const std::size_t at = out.find(marker);
    BOOST_TEST_REQUIRE(at != std::string::npos);
    const std::vector<double> ours = numbers(out.substr(at + marker.size(), out.find("P[0]", at) - at - marker.size()));
    const Tensor expected = oracle()["bigram_trained_row0"].tensor();
    BOOST_TEST_REQUIRE(ours.size() == expected.numel());
    for (std::size_t k = 0; k < ours.size(); ++k) BOOST_TEST(std::abs(ours[k] - expected.data()[k]) <= 1.5e-4);
    std::size_t pos = at;
    for (const std::string& name : oracle()["bigram_samples"].text) {
        const std::size_t found = out.find("\n" + name + "\n", pos);
        BOOST_TEST(found != std::string::npos, "the neural bigram's name " << name);
        if (found != std::string::npos) pos = found + name.size();
    }
}

BOOST_AUTO_TEST_CASE(prints_the_split_and_the_mlps_first_loss) {
    const std::string& out = output();
    std::string train, dev, test;
    std::istringstream(oracle()["split_sizes"].text.at(0)) >> train >> dev >> test;
    BOOST_TEST(out.find(train + " words to train on, " + dev + " to tune with (dev), " + test + " to test") !=
               std::string::npos);
    std::string xtr, xdev;
    std::istringstream(oracle()["dataset_sizes"].text.at(0)) >> xtr >> xdev;
    BOOST_TEST(out.find("Xtr: " + xtr + " contexts of 3 characters, Xdev: " + xdev) != std::string::npos);
    BOOST_TEST(out.find(oracle()["mlp_num_parameters"].field("value") + " parameters") != std::string::npos);
    char first[32];
    std::snprintf(first, sizeof first, "0/      1: %.4f", oracle()["mlp_losses"].tensor().data()[0]);
    BOOST_TEST(out.find(first) != std::string::npos, "the MLP's first loss, " << first);
}

BOOST_AUTO_TEST_SUITE_END()
