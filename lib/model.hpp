#pragma once
// What the training loop needs of an n-gram model (lib/train.hpp): logits for a
// batch of contexts, a loss against the next characters, gradients, and the
// tensors to update. The MLP of lesson 02 is one; the capstone's models are others.
#include <cstddef>
#include <string>
#include <vector>

#include "lib/ngram_dataset.hpp"
#include "lib/random.hpp"
#include "lib/tensor.hpp"

namespace wb {

class Model {
public:
    virtual ~Model() = default;

    // how many characters of context the model reads
    virtual std::size_t block_size() const = 0;
    // X: B contexts of the model's block size, row after row -> logits (B, V)
    virtual const Tensor& forward(const std::vector<std::size_t>& X) = 0;
    // mean cross-entropy of the last forward's logits against Y (B)
    virtual float loss(const std::vector<std::size_t>& Y) = 0;
    // gradients of the last loss, added into gradients()
    virtual void backward() = 0;

    virtual std::vector<Tensor*> parameters() = 0;
    // one gradient per parameter, same order and shapes
    virtual std::vector<Tensor*> gradients() = 0;

    // The mean loss over a whole dataset, in chunks, without touching the gradients.
    virtual float evaluate(const NgramDataset& data);
    std::size_t num_parameters();
    void zero_grad();
};

// A word drawn from the model one character at a time, as makemore samples: start
// from a context of '.', draw the next character from softmax(logits) with
// torch.multinomial, slide the window along, stop at '.' (or after max_length).
std::string sample_word(Model& model, Generator& g, std::size_t max_length = 100);

// The same for a bigram table, whose row i weighs the characters that follow
// character i (counts or probabilities: they need not sum to 1).
std::string sample_bigram(const Tensor& P, Generator& g, std::size_t max_length = 100);

}  // namespace wb
