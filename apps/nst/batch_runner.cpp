// nst batch on one rank: scan, style targets once per size, batches of one size, results written atomically.
#include "batch_runner.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>

#include "nst/error.hpp"
#include "nst/image.hpp"
#include "progress.hpp"
#include "stop_signals.hpp"

namespace nst::app {

namespace {

void put(std::string& out, const void* data, std::size_t bytes) {
    out.append(static_cast<const char*>(data), bytes);
}

template <typename T>
T take(const std::string& in, std::size_t& at) {
    T value;
    if (in.size() - at < sizeof value) throw Error("style targets: a truncated record");
    std::memcpy(&value, in.data() + at, sizeof value);
    at += sizeof value;
    return value;
}

// The output size of a w x h input under --size.
std::pair<int, int> output_size(const BatchSettings& s, int width, int height) {
    if (s.longest == 0) return {s.width, s.height};
    int w = 0, h = 0;
    fit_longest_side(width, height, s.longest, &w, &h);
    return {w, h};
}

}  // namespace

std::string serialize_targets(const std::vector<StyleTargets>& targets) {
    std::string out;
    const std::uint64_t count = targets.size();
    put(out, &count, sizeof count);
    for (const StyleTargets& t : targets) {
        const std::int32_t size[3] = {t.width, t.height, static_cast<std::int32_t>(t.layers.size())};
        put(out, size, sizeof size);
        for (const StyleTargets::Layer& l : t.layers) {
            const std::uint64_t name = l.layer.size(), values = l.gram.size();
            put(out, &name, sizeof name);
            out += l.layer;
            put(out, &l.weight, sizeof l.weight);
            put(out, &values, sizeof values);
            put(out, l.gram.data(), values * sizeof(float));
        }
    }
    return out;
}

std::vector<StyleTargets> deserialize_targets(const std::string& in) {
    std::size_t at = 0;
    const auto count = take<std::uint64_t>(in, at);
    if (count > in.size())
        throw Error("style targets: a record of " + std::to_string(count) + " sizes in " + std::to_string(in.size()) +
                    " bytes");
    std::vector<StyleTargets> targets;
    for (std::uint64_t k = 0; k < count; ++k) {
        StyleTargets t;
        t.width = take<std::int32_t>(in, at);
        t.height = take<std::int32_t>(in, at);
        const auto layers = take<std::int32_t>(in, at);
        for (std::int32_t i = 0; i < layers; ++i) {
            StyleTargets::Layer l;
            const auto name = take<std::uint64_t>(in, at);
            if (in.size() - at < name) throw Error("style targets: a truncated record");
            l.layer = in.substr(at, name);
            at += name;
            l.weight = take<float>(in, at);
            const auto values = take<std::uint64_t>(in, at);
            if ((in.size() - at) / sizeof(float) < values) throw Error("style targets: a truncated record");
            l.gram.resize(values);
            std::memcpy(l.gram.data(), in.data() + at, values * sizeof(float));
            at += values * sizeof(float);
            t.layers.push_back(std::move(l));
        }
        targets.push_back(std::move(t));
    }
    return targets;
}

BatchRunner::BatchRunner(const BatchSettings& settings, MpiWorld& world, std::vector<BatchItem> mine, long total_inputs,
                         bool lead)
    : settings_(settings),
      world_(world),
      items_(std::move(mine)),
      total_(total_inputs),
      lead_(lead),
      state_(items_.size(), State::Todo) {}

void BatchRunner::fail(const BatchItem& item, const std::string& why) {
    std::fprintf(stderr, "nst: %sskipped %s: %s\n",
                 world_.size() > 1 ? ("[rank " + std::to_string(world_.rank()) + "] ").c_str() : "", item.input.c_str(),
                 why.c_str());
    ++counts_.failed;
    world_.post_progress(0, 1);
}

std::vector<std::pair<int, int>> BatchRunner::scan() {
    std::vector<long> sizes;
    for (std::size_t i = 0; i < items_.size(); ++i) {
        const bool mine = counted(i);
        if (!settings_.overwrite && output_complete(items_[i].output)) {
            state_[i] = State::Done;
            if (mine) {
                ++counts_.skipped;
                world_.post_progress(1, 0);
            }
            continue;
        }
        std::error_code ec;
        if (mine && !settings_.overwrite && std::filesystem::exists(items_[i].output, ec))
            std::fprintf(stderr, "nst: redoing %s: the file there does not decode (an interrupted write?)\n",
                         items_[i].output.c_str());
        try {
            const Image in = load_image(items_[i].input);
            const auto [w, h] = output_size(settings_, in.width, in.height);
            todo_.push_back({i, w, h});
            sizes.push_back(w);
            sizes.push_back(h);
        } catch (const Error& e) {
            state_[i] = State::Failed;
            if (mine) fail(items_[i], e.what());  // a lead frame is its owner's to report
        }
    }
    const std::vector<long> all = world_.all_gather(sizes);
    std::set<std::pair<int, int>> distinct;
    for (std::size_t k = 0; k + 1 < all.size(); k += 2)
        distinct.emplace(static_cast<int>(all[k]), static_cast<int>(all[k + 1]));
    return {distinct.begin(), distinct.end()};
}

void BatchRunner::make_targets(Backend& backend, const VggWeights& net, const std::vector<std::pair<int, int>>& sizes) {
    if (settings_.color_match) return;  // each input's own colour-matched styles: made with its transfer
    std::string bytes;
    if (world_.rank() == 0) {
        std::vector<StyleTargets> made;
        for (const auto& [w, h] : sizes)
            made.push_back(compute_style_targets(backend, net, settings_.options, w, h, settings_.styles));
        bytes = serialize_targets(made);
    }
    world_.broadcast(bytes);
    for (StyleTargets& t : deserialize_targets(bytes)) targets_[{t.width, t.height}] = std::move(t);
    if (world_.rank() == 0)
        std::fprintf(stderr, "nst: style targets computed once for %zu output size%s%s\n", sizes.size(),
                     sizes.size() == 1 ? "" : "s", world_.size() > 1 ? " and sent to every rank" : "");
}

void BatchRunner::show_totals() {
    world_.send_progress();  // ranks other than 0: what finished since the last time, if the way is free
    if (world_.rank() != 0) return;
    const std::array<long, 2> p = world_.progress();
    if (p[0] + p[1] == shown_done_) return;
    shown_done_ = p[0] + p[1];
    std::fprintf(stderr, "nst: %ld/%ld inputs done%s%s\n", p[0] + p[1], total_,
                 world_.size() > 1 ? (" on " + std::to_string(world_.size()) + " ranks").c_str() : "",
                 p[1] > 0 ? (" (" + std::to_string(p[1]) + " failed)").c_str() : "");
}

bool BatchRunner::run(Backend& backend, const VggWeights& net) {
    show_totals();
    if (settings_.video) return run_video(backend, net);
    // Groups of one size, up to the batch, in the order of each size's first input.
    const std::size_t limit = settings_.color_match ? 1 : static_cast<std::size_t>(settings_.batch);
    std::vector<bool> taken(todo_.size(), false);
    for (std::size_t k = 0; k < todo_.size() && !stop_requested(); ++k) {
        if (taken[k]) continue;
        std::vector<Todo> group;
        for (std::size_t j = k; j < todo_.size() && group.size() < limit; ++j)
            if (!taken[j] && todo_[j].width == todo_[k].width && todo_[j].height == todo_[k].height) {
                group.push_back(todo_[j]);
                taken[j] = true;
            }
        if (!run_group(backend, net, group)) return false;
        show_totals();
    }
    return !stop_requested();
}

TransferOptions transfer_options(const BatchSettings& s) {
    TransferOptions o = s.options;
    if (o.init == InitKind::Style) {
        o.init = InitKind::Image;
        o.init_image = s.styles.front().image;
    }
    return o;
}

bool BatchRunner::optimise(StyleTransfer& transfer, const std::string& tag) {
    if (world_.rank() == 0) {
        Progress progress("", "", settings_.print_every, 0, stop_requested(), loss_columns(transfer.options()));
        progress.start_scale(tag);
        progress.end_scale(transfer.run([&](StyleTransfer::Iteration& it) { return progress(it, true); }));
        progress.finish();
    } else {
        transfer.run([](StyleTransfer::Iteration&) { return !stop_requested(); });
    }
    return !stop_requested();
}

const StyleTargets& BatchRunner::targets_for(Backend& backend, const VggWeights& net, int width, int height,
                                             const Image& content, StyleTargets& scratch) {
    if (!settings_.color_match) return targets_.at({width, height});
    std::vector<StyleImage> styles = settings_.styles;
    for (StyleImage& st : styles) st.image = match_colors(st.image, content);
    scratch = compute_style_targets(backend, net, settings_.options, width, height, styles);
    return scratch;
}

void BatchRunner::write(const BatchItem& item, Image result, const Image& original) {
    try {
        if (settings_.preserve_colors)
            result = preserve_colors(result, resize_image(original, result.width, result.height));
        save_image(result, item.output);
        ++counts_.written;
        world_.post_progress(1, 0);
    } catch (const Error& e) {
        fail(item, e.what());
    }
}

bool BatchRunner::run_group(Backend& backend, const VggWeights& net, const std::vector<Todo>& group) {
    std::vector<Image> contents, originals;
    std::vector<const BatchItem*> items;
    for (const Todo& t : group) {
        try {
            Image in = load_image(items_[t.item].input);
            contents.push_back(resize_image(in, t.width, t.height));
            if (settings_.preserve_colors || settings_.color_match) originals.push_back(std::move(in));
            items.push_back(&items_[t.item]);
        } catch (const Error& e) {
            fail(items_[t.item], e.what());
        }
    }
    if (items.empty()) return true;
    const int w = group[0].width, h = group[0].height;
    const std::string tag = "[" + items.front()->input +
                            (items.size() > 1 ? " +" + std::to_string(items.size() - 1) : std::string()) + ", " +
                            std::to_string(w) + "x" + std::to_string(h) + "]  ";
    const auto start = std::chrono::steady_clock::now();
    try {
        StyleTargets matched;
        const StyleTargets& targets =
            targets_for(backend, net, w, h, settings_.color_match ? originals.front() : contents.front(), matched);
        StyleTransfer transfer(backend, net, contents, targets, transfer_options(settings_));
        if (!optimise(transfer, tag)) return false;  // a result stopped early is not written: a rerun redoes it
        for (std::size_t i = 0; i < items.size(); ++i)
            write(*items[i], transfer.image(static_cast<int>(i)), originals.empty() ? Image{} : originals[i]);
    } catch (const Error& e) {  // this batch's pictures fail (a loss that became NaN, ...); the others go on
        for (const BatchItem* item : items) fail(*item, e.what());
        return true;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (world_.rank() == 0 || world_.size() == 1)
        std::fprintf(stderr, "nst: %s%zu image%s in %.1f s (%.3g images/s)\n", tag.c_str(), items.size(),
                     items.size() == 1 ? "" : "s", seconds, items.size() / seconds);
    return true;
}

}  // namespace nst::app
