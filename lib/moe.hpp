#pragma once
// A mixture-of-experts feed-forward layer (Shazeer et al. 2017; Switch Transformer,
// Fedus et al. 2021; Mixtral 2024). In the course's picture a head chef (the router)
// reads each order (token) and sends it to the k specialist chefs (experts) best
// suited to it; each chef cooks only the orders sent to them. The layer holds E
// experts' worth of parameters but runs only k of them per token.
//
//   x (N, C) -> logits (N, E) = x @ W_router.T -> probs = softmax(logits)
//   -> experts (N, k): each token's k most probable experts (torch.topk)
//   -> weights (N, k): their probabilities renormalised to sum to 1 (Mixtral);
//      at k = 1 Switch keeps the raw probability instead (Gate::router_prob)
//   -> each expert runs once on the tokens sent to it: gather, FeedForward, scatter
//   -> out (N, C) = sum over a token's k experts of weight * expert(x)
//
// Capacity: with a capacity factor cf > 0 an expert takes at most
// expert_capacity(N, k, E, cf) tokens; later assignments are dropped (the token's
// output loses that expert's share; in a transformer the residual carries it on).
#include <cstddef>
#include <vector>

#include "lib/feed_forward.hpp"
#include "lib/linear.hpp"
#include "lib/random.hpp"
#include "lib/tensor.hpp"

namespace wb {

// --- routing, step by step (the lesson's exercises) -----------------------------------

struct TopK {
    Tensor values;                     // (N, k), each row in descending order
    std::vector<std::size_t> indices;  // (N, k) row-major: which column each value came from
};
// torch.topk(probs, k, dim=-1): the k largest entries of each row (N, E), largest
// first; equal values keep column order. ValueError unless 1 <= k <= E.
TopK top_k(const Tensor& probs, std::size_t k);

// Each row of values (N, k) divided by its sum: the chosen experts' probabilities
// renormalised so a token's weights add up to 1.
Tensor renormalize(const Tensor& values);

// f_i, the fraction of the N tokens that chose expert i: count / N. A token counts
// once per choice, so the f_i of top-k routing sum to k. experts (N, k) row-major.
Tensor expert_fractions(const std::vector<std::size_t>& experts, std::size_t k, std::size_t num_experts);

// The Switch Transformer's auxiliary loss, alpha * E * sum_i f_i * P_i, where P_i is
// the mean router probability of expert i over the N tokens and f_i the fraction of
// tokens sent to expert i (sums to k). A perfectly even router gives alpha * k; one
// that sends everything to one expert up to alpha * E * k.
// probs (N, E); experts (N, k) row-major.
float load_balancing_loss(const Tensor& probs, const std::vector<std::size_t>& experts, std::size_t k, float alpha);

// How many tokens an expert takes: max(1, floor(capacity_factor * k * N / E)).
std::size_t expert_capacity(std::size_t num_tokens, std::size_t k, std::size_t num_experts, double capacity_factor);

// Which of the N * k assignments fit: first choices of every token (in token order),
// then second choices, and so on; an expert that already holds `capacity` tokens
// drops the rest. experts (N, k) row-major -> kept (N, k) row-major.
std::vector<bool> within_capacity(const std::vector<std::size_t>& experts, std::size_t k, std::size_t num_experts,
                                  std::size_t capacity);

// --- the layer ----------------------------------------------------------------------

enum class Gate {
    renormalized,  // the k chosen probabilities scaled to sum to 1 (Mixtral)
    router_prob,   // the chosen probabilities as they are (Switch at k = 1: renormalised
                   // they would all be 1, and the router would learn nothing from the loss)
};

class MixtureOfExperts {
public:
    // Draws the router nn.Linear(d_model, num_experts, bias=False), then expert 0's
    // FeedForward(d_model, hidden), expert 1's, ... in that order.
    MixtureOfExperts(std::size_t d_model, std::size_t hidden, std::size_t num_experts, std::size_t top_k,
                     Generator& g, Gate gate = Gate::renormalized);

    // x (..., C) -> (..., C); every row of x is a token
    Tensor forward(const Tensor& x);
    // dout (..., C) -> dx; adds into gradients(). With alpha > 0 it also adds the
    // gradient of load_balancing_loss(alpha), which reaches the router only.
    Tensor backward(const Tensor& dout, float alpha = 0.0f);
    // The auxiliary loss of the last forward's routing.
    float load_balancing_loss(float alpha) const;

    std::vector<Tensor*> parameters();  // router.weight, then each expert's four
    std::vector<Tensor*> gradients();
    std::size_t num_parameters() const;
    // What one token runs through: the router and k experts.
    std::size_t num_active_parameters() const;

    // The last forward's routing, for printing
    const Tensor& router_logits() const { return logits_; }  // (N, E)
    const Tensor& router_probs() const { return probs_; }    // (N, E)
    const std::vector<std::size_t>& chosen() const { return chosen_; }  // (N, k)
    const Tensor& weights() const { return weights_; }                  // (N, k)
    const std::vector<bool>& kept() const { return kept_; }             // (N, k)
    // Tokens sent to expert e (kept ones only), in token order
    std::vector<std::size_t> tokens_of(std::size_t e) const;

    std::size_t num_experts, top_k;
    Gate gate;
    double capacity_factor = 0.0;  // 0: no limit
    Linear router;
    std::vector<FeedForward> experts;

private:
    struct Slot {
        std::size_t token, k;  // which token, and which of its choices
    };
    Tensor drouter_;
    Shape input_shape_;
    Tensor x_, logits_, probs_, weights_;
    std::vector<std::size_t> chosen_;
    std::vector<bool> kept_;
    std::vector<std::vector<Slot>> slots_;  // per expert, the assignments it took
    std::vector<std::size_t> row_of_;       // (N, k): the row of each kept assignment in its expert's slots
    std::vector<Tensor> expert_out_;        // per expert, its outputs (rows as in slots_)

    // Calls f(expert, j) for each kept choice j of token t, in increasing expert
    // order: the order in which a loop over the experts adds their shares, so a
    // token's sum comes out the same whichever core computes it.
    template <class F>
    void for_each_choice(std::size_t t, F f) const {
        const std::size_t* chosen = chosen_.data() + t * top_k;
        for (std::size_t e_min = 0;;) {  // k is small (2 in the capstone): pick the next expert up
            std::size_t best = top_k;
            for (std::size_t j = 0; j < top_k; ++j)
                if (chosen[j] >= e_min && (best == top_k || chosen[j] < chosen[best])) best = j;
            if (best == top_k) return;
            if (kept_[t * top_k + best]) f(chosen[best], best);
            e_min = chosen[best] + 1;
        }
    }
};

}  // namespace wb
