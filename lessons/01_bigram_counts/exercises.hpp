#pragma once
// Lesson 01's exercises: the contract. Write the bodies in exercises.cpp, then
// check them with `./workbook check 01`.
#include <string>
#include <vector>

#include "lib/tensor.hpp"
#include "lib/words.hpp"

namespace lesson01 {

using wb::Tensor;

// Exercise 1.1: the bigram count matrix.
//   words:   names, lowercase a-z
//   returns (27, 27): counts(i, j) is how often character j follows character i,
//   where each word is read as '.' + word + '.' (so "emma" gives .e em mm ma a.).
//   Rows and columns are numbered by wb::stoi: '.' is 0, 'a' is 1, ..., 'z' is 26.
Tensor count_bigrams(const std::vector<std::string>& words);

// Exercise 1.2: from counts to probabilities, with smoothing.
//   counts:    (27, 27) bigram counts
//   smoothing: added to every count first (1 is the walkthrough's add-one smoothing)
//   returns (27, 27): each row divided by its sum, so every row sums to 1.
Tensor normalize_rows(const Tensor& counts, float smoothing);

// Exercise 1.3: how well the model predicts the words.
//   probs:   (27, 27) row-normalised bigram probabilities
//   words:   names, lowercase a-z
//   returns the average negative log-likelihood over every bigram of every word
//   (read as '.' + word + '.'): -(sum of log probs(i, j)) / (number of bigrams).
//   Lower is better; a model that knew nothing would score log(27) = 3.2958.
float average_nll(const Tensor& probs, const std::vector<std::string>& words);

}  // namespace lesson01
