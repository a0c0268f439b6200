// Reference answers to lesson 01's exercises (the contract is in
// lessons/01_bigram_counts/exercises.hpp).
#include "exercises.hpp"

#include <cmath>

#include "lib/ops.hpp"

namespace lesson01 {

Tensor count_bigrams(const std::vector<std::string>& words) {
    Tensor counts = wb::zeros({wb::kVocabSize, wb::kVocabSize});
    for (const std::string& w : words) {
        const std::string chs = "." + w + ".";
        for (std::size_t k = 0; k + 1 < chs.size(); ++k) counts(wb::stoi(chs[k]), wb::stoi(chs[k + 1])) += 1.0f;
    }
    return counts;
}

Tensor normalize_rows(const Tensor& counts, float smoothing) {
    const Tensor smoothed = counts + smoothing;
    return smoothed / wb::sum(smoothed, 1, /*keepdim=*/true);
}

float average_nll(const Tensor& probs, const std::vector<std::string>& words) {
    float log_likelihood = 0.0f;
    int n = 0;
    for (const std::string& w : words) {
        const std::string chs = "." + w + ".";
        for (std::size_t k = 0; k + 1 < chs.size(); ++k) {
            log_likelihood += std::log(probs(wb::stoi(chs[k]), wb::stoi(chs[k + 1])));
            ++n;
        }
    }
    return -log_likelihood / static_cast<float>(n);
}

}  // namespace lesson01
