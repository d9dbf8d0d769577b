// The supervision tree: who supervises whom, with each node's state and restarts, so a restart
// storm is visible where it happens in the hierarchy.
#include <imgui.h>

#include <string>

#include "format.hpp"
#include "panels.hpp"
#include "theme.hpp"

namespace actors::dashboard {

namespace {

// Sibling lists longer than this are drawn as clipped leaf rows: expanding a pool of thousands
// must not cost thousands of tree nodes per frame.
constexpr std::size_t kClipSiblings = 200;

std::string label_of(const ActorRow& r) {
    std::string s = r.name.empty() ? r.pid.to_string() : r.name;
    s += "  " + r.pid.to_string();
    if (r.restarts) s += "  restarts " + std::to_string(r.restarts);
    if (!r.children.empty()) s += "  (" + std::to_string(r.children.size()) + ")";
    return s;
}

class TreeDrawer {
public:
    TreeDrawer(const ActorTable& table, PanelState& state, FrameReport& report) : table_(table), state_(state), report_(report) {}

    void siblings(const std::vector<Pid>& pids) {
        if (pids.size() > kClipSiblings) return clipped(pids);
        for (const Pid& p : pids)
            if (const ActorRow* r = table_.find(p)) node(*r);
    }

private:
    void node(const ActorRow& r) {
        ++report_.tree_nodes;
        ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_OpenOnArrow | ImGuiTreeNodeFlags_SpanFullWidth;
        if (r.children.empty()) flags |= ImGuiTreeNodeFlags_Leaf | ImGuiTreeNodeFlags_NoTreePushOnOpen;
        if (state_.selected && state_.selected->same_actor(r.pid)) flags |= ImGuiTreeNodeFlags_Selected;
        // Supervisors start open: the tree is there to show the hierarchy.
        if (!r.children.empty() && r.children.size() <= 32) flags |= ImGuiTreeNodeFlags_DefaultOpen;
        ImGui::PushStyleColor(ImGuiCol_Text, r.failures && !r.stopped() ? theme::warn : theme::state_colour(r.state));
        const bool open = ImGui::TreeNodeEx(reinterpret_cast<void*>(static_cast<std::uintptr_t>(r.pid.id)), flags, "%s", label_of(r).c_str());
        ImGui::PopStyleColor();
        if (ImGui::IsItemClicked() && !ImGui::IsItemToggledOpen()) state_.selected = r.pid;
        if (open && !r.children.empty()) {
            siblings(r.children);
            ImGui::TreePop();
        }
    }

    void clipped(const std::vector<Pid>& pids) {
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(pids.size()));
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const ActorRow* r = table_.find(pids[static_cast<std::size_t>(i)]);
                if (!r) {
                    ImGui::TextColored(theme::muted, "  (gone)");
                    continue;
                }
                ++report_.tree_nodes;
                ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_Leaf | ImGuiTreeNodeFlags_NoTreePushOnOpen | ImGuiTreeNodeFlags_Bullet |
                                           ImGuiTreeNodeFlags_SpanFullWidth;
                if (state_.selected && state_.selected->same_actor(r->pid)) flags |= ImGuiTreeNodeFlags_Selected;
                ImGui::PushStyleColor(ImGuiCol_Text, theme::state_colour(r->state));
                ImGui::TreeNodeEx(reinterpret_cast<void*>(static_cast<std::uintptr_t>(r->pid.id)), flags, "%s", label_of(*r).c_str());
                ImGui::PopStyleColor();
                if (ImGui::IsItemClicked()) state_.selected = r->pid;
            }
        }
    }

    const ActorTable& table_;
    PanelState& state_;
    FrameReport& report_;
};

}  // namespace

void draw_supervision_tree(const Model& model, PanelState& state, FrameReport& report) {
    report.panels.push_back("tree");
    const ActorTable& table = model.actors();
    ImGui::TextColored(theme::muted, "Top-level actors are supervised by the engine's root guardian. Click a node to inspect it.");
    ImGui::BeginChild("tree", ImVec2(0, 0), false);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::accent);
    const bool open = ImGui::TreeNodeEx("root", ImGuiTreeNodeFlags_DefaultOpen | ImGuiTreeNodeFlags_SpanFullWidth, "root guardian  (%zu live)",
                                        table.live());
    ImGui::PopStyleColor();
    if (open) {
        TreeDrawer(table, state, report).siblings(table.roots());
        ImGui::TreePop();
    }
    ImGui::EndChild();
}

}  // namespace actors::dashboard
