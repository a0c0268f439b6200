// Lesson 09: mixture of experts. A router (the head chef) reads each token and sends
// it to k of E experts (specialist chefs), each an ordinary feed-forward network;
// the token's output is the weighted sum of what its experts make of it. Then what
// keeps the router from sending everything to one chef (the load-balancing loss,
// capacity), and what it buys: Mixtral and DeepSeek-V3's total against active
// parameters.
//
//   ./workbook run 09                      seed 123, 4 experts, top-2, hidden 12, capacity factor 1.0
//   ./workbook run 09 --experts 6 --top-k 3 --hidden 16 --capacity-factor 1.5 --seed 42
//   ./workbook run 09 --no-plots           without the pictures (the router's probabilities and choices)
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "lib/book_inputs.hpp"
#include "lib/errors.hpp"
#include "lib/flags.hpp"
#include "lib/lesson.hpp"
#include "lib/model_config.hpp"
#include "lib/moe.hpp"
#include "lib/ops.hpp"
#include "lib/picture.hpp"
#include "lib/print.hpp"
#include "lib/yours.hpp"
#include "lib/random.hpp"

using namespace wb;

namespace {

void check_flags(int experts, int top_k, int hidden, double capacity_factor) {
    if (experts < 1 || experts > 64)
        throw ValueError(fmt::format("--experts {} is not a number of experts: it takes 1 to 64", experts));
    if (top_k < 1 || top_k > experts)
        throw ValueError(fmt::format("--top-k {} with --experts {}: each token picks k of the experts, so k takes 1 to {}",
                                     top_k, experts, experts));
    if (hidden < 1 || hidden > 256)
        throw ValueError(fmt::format("--hidden {} is not a width: it takes 1 to 256", hidden));
    if (!(capacity_factor > 0.0) || capacity_factor > 64.0)
        throw ValueError(fmt::format("--capacity-factor {} is not a factor: it takes a number above 0, up to 64",
                                     capacity_factor));
}

// The (N, k) choices as the int64 tensor torch.topk returns
std::string format_choices(const std::vector<std::size_t>& chosen, std::size_t k) {
    std::vector<std::int64_t> values(chosen.begin(), chosen.end());
    return format_int64({chosen.size() / k, k}, values);
}

std::string format_counts(const MixtureOfExperts& moe) {
    std::vector<std::int64_t> counts;
    for (std::size_t e = 0; e < moe.num_experts; ++e) counts.push_back(static_cast<std::int64_t>(moe.tokens_of(e).size()));
    return format_int64({moe.num_experts}, counts);
}

// One line per expert: the tokens it cooks, in order
void print_dispatch(const MixtureOfExperts& moe, const std::vector<std::string>& tokens) {
    for (std::size_t e = 0; e < moe.num_experts; ++e) {
        std::string names;
        for (const std::size_t t : moe.tokens_of(e)) names += (names.empty() ? "" : ", ") + tokens[t];
        note(fmt::format("  expert {}: {}", e, names.empty() ? "(nothing)" : names));
    }
}

// One line per token: its experts and weights, and which were dropped
void print_routes(const MixtureOfExperts& moe, const std::vector<std::string>& tokens) {
    const std::size_t k = moe.top_k;
    for (std::size_t t = 0; t < tokens.size(); ++t) {
        std::string routes;
        for (std::size_t j = 0; j < k; ++j)
            routes += fmt::format("{}expert {} x {:.4f}{}", j == 0 ? "" : " + ", moe.chosen()[t * k + j],
                                  moe.weights()(t, j), moe.kept()[t * k + j] ? "" : " (dropped)");
        note(fmt::format("  {:<8}-> {}", tokens[t], routes));
    }
}

// The router as pictures: its probabilities, token by expert, with each token's
// chosen experts framed; and the gates, the weight each expert's output gets in the
// token's (0 where the expert was not chosen).
void draw_routing(const PictureFolder& pictures, const MixtureOfExperts& moe, const std::vector<std::string>& tokens,
                  const std::string& name) {
    if (!pictures.on()) return;
    std::vector<std::string> experts;
    for (std::size_t e = 0; e < moe.num_experts; ++e) experts.push_back(fmt::format("expert {}", e));
    const std::size_t k = moe.top_k;
    HeatmapOptions options{.decimals = 4, .row_title = "token", .col_title = "expert"};
    Tensor gates = zeros({tokens.size(), moe.num_experts});
    for (std::size_t t = 0; t < tokens.size(); ++t)
        for (std::size_t j = 0; j < k; ++j) {
            options.outlined.emplace_back(t, moe.chosen()[t * k + j]);
            gates(t, moe.chosen()[t * k + j]) = moe.weights()(t, j);
        }
    write_heatmap(pictures.file(name + "_router_probabilities.png"), moe.router_probs(), tokens, experts,
                  fmt::format("lesson 09: router probabilities, top-{} framed", k), options);
    options.outlined.clear();
    write_heatmap(pictures.file(name + "_gates.png"), gates, tokens, experts,
                  fmt::format("lesson 09: top-{} gates, each expert's share of a token's output", k), options);
}

// 1.0 as "1.0", 1.25 as "1.25": a factor reads as a decimal, as Python prints it
std::string format_factor(double f) {
    std::string text = fmt::format("{}", f);
    return text.find_first_of(".e") == std::string::npos ? text + ".0" : text;
}

void capacity_demo(MixtureOfExperts& moe, const Tensor& x, const std::vector<std::string>& tokens, double factor,
                   YourExercises& yours) {
    const std::size_t N = x.size(0), k = moe.top_k, E = moe.num_experts;
    const std::size_t capacity = expert_capacity(N, k, E, factor);
    moe.capacity_factor = factor;
    const Tensor out = moe.forward(x);
    moe.capacity_factor = 0.0;
    note(fmt::format("top-{}: capacity = max(1, floor({} x {} x {} tokens / {} experts)) = {} per expert", k,
                     format_factor(factor), k, N, E, capacity));
    // exercise 9.3 seats the same choices
    const auto within_factor = [&](const std::vector<std::size_t>& experts, std::size_t top_k, std::size_t num_experts,
                                   double cf) {
        return within_capacity(experts, top_k, num_experts, expert_capacity(N, top_k, num_experts, cf));
    };
    std::vector<std::int64_t> kept;
    for (const bool b : yours.step("9.3", within_factor, moe.chosen(), k, E, factor)) kept.push_back(b ? 1 : 0);
    fmt::print("kept:\n{}\n", format_int64({N, k}, kept));
    print_routes(moe, tokens);
    print(out);
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t seed = 123;
    int experts_flag = 4, top_k_flag = 2, hidden_flag = 12;
    double capacity_factor = 1.0;
    Flags flags("lesson09", "Lesson 09: mixture of experts");
    flags.add("--seed", seed, "N", "torch.manual_seed before the layer is built (default 123)");
    flags.add("--experts", experts_flag, "E", "how many experts (default 4)");
    flags.add("--top-k", top_k_flag, "K", "experts per token (default 2); at most --experts");
    flags.add("--hidden", hidden_flag, "H", "each expert's hidden width (default 12, the book's 4 x 3)");
    flags.add("--capacity-factor", capacity_factor, "F", "how much room each expert has, in even shares (default 1.0)");
    PictureFolder pictures(WB_BINARY_DIR "/plots/lesson09");
    pictures.add_flags(flags);
    flags.parse(argc, argv);

    return run_lesson([&] {
        check_flags(experts_flag, top_k_flag, hidden_flag, capacity_factor);
        pictures.create();
        // With `./workbook run 09 --mine`, the steps marked yours.step are computed by your exercises.
        YourExercises yours = your_exercises();
        const auto E = static_cast<std::size_t>(experts_flag), k = static_cast<std::size_t>(top_k_flag),
                   H = static_cast<std::size_t>(hidden_flag);
        const Embeddings e = your_journey_starts_with_one_step();
        const Tensor& x = e.vectors;

        section("A mixture of experts: a router sends each token to a few experts");
        note(fmt::format("The head chef (a router) reads each order (token) and passes it to {} of {} specialist chefs",
                         k, E));
        note("(experts: each the book's FeedForward, Linear -> GELU -> Linear). Every token gets its own choice.");

        heading(fmt::format("MixtureOfExperts(d_model=3, hidden={}, num_experts={}, top_k={}), torch.manual_seed({})", H,
                            E, k, seed));
        Generator g(seed);
        MixtureOfExperts moe(3, H, E, k, g);
        print("router.weight:", moe.router.weight);

        const Tensor out = moe.forward(x);
        heading("Router logits: x @ router.weight.T, a score per token and expert (tokens, experts)");
        print(moe.router_logits());
        heading("Router probabilities: softmax over the experts");
        print(moe.router_probs());

        heading(fmt::format("torch.topk(probs, {}): each token's {} most probable experts", k, k));
        const TopK best = top_k(moe.router_probs(), k);
        print("values:", best.values);
        fmt::print("indices:\n{}\n", format_choices(best.indices, k));

        heading("Their weights, renormalised to sum to 1 per token (Mixtral)");
        print(moe.weights());
        // exercise 9.1 routes from the same probabilities: its experts and weights
        yours.compare("9.1", std::pair{moe.chosen(), moe.weights()}, moe.router_probs(), k);
        print_routes(moe, e.tokens);

        draw_routing(pictures, moe, e.tokens, fmt::format("top{}", k));

        heading("Dispatch: each expert runs once, on all the tokens sent to it");
        print_dispatch(moe, e.tokens);
        fmt::print("tokens per expert: {}\n", format_counts(moe));
        std::vector<std::string> idle;
        for (std::size_t i = 0; i < E; ++i)
            if (moe.tokens_of(i).empty()) idle.push_back(std::to_string(i));
        if (!idle.empty()) {
            note(fmt::format("{} {} nothing: even untrained, the router favours some experts. The load-balancing",
                             idle.size() == 1 ? "Expert " + idle[0] : "Experts " + fmt::format("{}", fmt::join(idle, ", ")),
                             idle.size() == 1 ? "gets" : "get"));
            note("loss below is there to even that out.");
        }
        note("Gather the expert's tokens, one matmul per layer for all of them, scatter the results back, weighted.");

        heading("The output: each token's weighted sum of its experts' outputs");
        print(out);

        section("Switch routing: top-1, gated by the router's probability");
        Generator g_switch(seed);
        MixtureOfExperts switch_moe(3, H, E, 1, g_switch, Gate::router_prob);
        const Tensor switch_out = switch_moe.forward(x);
        heading("Each token's one expert, and its gate (the router's probability, not renormalised)");
        fmt::print("indices:\n{}\n", format_choices(switch_moe.chosen(), 1));
        print("gates:", switch_moe.weights());
        note("Renormalised, every gate would be 1 and the router would learn nothing from the loss.");
        fmt::print("tokens per expert: {}\n", format_counts(switch_moe));
        heading("The output");
        print(switch_out);
        draw_routing(pictures, switch_moe, e.tokens, "switch_top1");

        section("Load balancing: the Switch Transformer's auxiliary loss");
        note("Left alone, a router can send most tokens to a few experts, which then learn faster and are chosen");
        note("even more. The auxiliary loss alpha * E * sum_i f_i * P_i (alpha = 0.01) pulls the other way:");
        note("f_i is the fraction of tokens sent to expert i, P_i the mean probability the router gives it.");
        const float alpha = 0.01f;
        heading("P: the mean router probability per expert");
        print(sum(moe.router_probs(), 0) / static_cast<float>(x.size(0)));
        heading("Top-1: f, and the loss");
        print("f:", expert_fractions(switch_moe.chosen(), 1, E));
        print("loss:", Tensor::scalar(yours.step("9.2", load_balancing_loss, switch_moe.router_probs(),
                                                 switch_moe.chosen(), std::size_t{1}, alpha)));
        heading(fmt::format("Top-{}: f (sums to {}), and the loss", k, k));
        print("f:", expert_fractions(moe.chosen(), k, E));
        print("loss:", Tensor::scalar(yours.step("9.2", load_balancing_loss, moe.router_probs(), moe.chosen(), k, alpha)));
        note(fmt::format("A perfectly even router scores alpha * k: {:.4f} for top-1, {:.4f} for top-{}.", alpha,
                         alpha * static_cast<float>(k), k));

        section(fmt::format("Expert capacity: room for a fixed share of tokens (capacity factor {})",
                            format_factor(capacity_factor)));
        note("To run on fixed-size buffers, each expert takes at most `capacity` tokens; first choices are seated");
        note("first, in token order. An assignment that finds its expert full is dropped: that share of the output");
        note("is zero, and in a transformer the residual connection carries the token on unchanged.");
        heading("Top-1 (Switch)");
        capacity_demo(switch_moe, x, e.tokens, capacity_factor, yours);
        heading(fmt::format("Top-{}", k));
        capacity_demo(moe, x, e.tokens, capacity_factor, yours);

        section("Total against active parameters");
        const auto row = [](const std::string& name, std::uint64_t total, std::uint64_t active) {
            note(fmt::format("  {:<28}{:>18}{:>18}{:>8.1f}%", name, format_count(total), format_count(active),
                             100.0 * static_cast<double>(active) / static_cast<double>(total)));
        };
        note(fmt::format("  {:<28}{:>18}{:>18}{:>9}", "model", "total", "active", "share"));
        row(fmt::format("this lesson's layer (top-{})", k), moe.num_parameters(), moe.num_active_parameters());
        for (const MoEModelConfig& c : {mixtral_8x7b(), deepseek_v3()}) {
            const MoEParameterCount p = count_parameters(c);
            row(fmt::format("{} (top-{} of {})", c.name, c.top_k, c.routed_experts), p.total, p.active);
        }
        note("Memory holds every expert; each token's compute pays only for its k. Mixtral is a 47B model that");
        note("runs like a 13B one; DeepSeek-V3 stores 671B parameters and uses about 37B of them per token.");
        yours.print_summary();
        pictures.print_where();
    });
}
