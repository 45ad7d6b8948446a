// The processes of one `nst batch` run: the ranks of an MPI job when nst was built with MPI and started by
// mpirun or srun, else this process alone (a world of one, with the same calls). Only what nst batch needs:
// who am I, rank 0's bytes everywhere, gathering and summing, and progress sent to rank 0 without waiting.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace nst::app {

class World {
public:
    // Joins the MPI job when a launcher started this process (Open MPI's, or Slurm's/PMIx's variables are
    // set) and nst was built with MPI; otherwise a world of one.
    World();
    ~World();
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    int rank() const noexcept { return rank_; }
    int size() const noexcept { return size_; }
    int local_rank() const noexcept { return local_rank_; }  // among the ranks on this machine
    int local_size() const noexcept { return local_size_; }  // ranks on this machine
    // "MPI, 4 ranks" or "one process (built without MPI)" and the like, for the plan line.
    std::string description() const;

    // Rank 0's `bytes` on every rank.
    void broadcast(std::string& bytes);
    // Every rank's values, concatenated in rank order, on every rank.
    std::vector<long> all_gather(const std::vector<long>& mine);
    // The sum over ranks, on every rank.
    long sum(long value);

    // Ranks other than 0: sends (done, failed) counts of inputs just finished to rank 0, not waiting for it;
    // finish_progress() says there is no more. Rank 0: adds them to its own counts.
    void post_progress(long done, long failed);
    void finish_progress();
    // Rank 0: the totals of every rank's posts received so far (drain: until every rank has finished).
    std::array<long, 2> progress(bool drain = false);

    // Ends every rank's process with `code` (one rank's fatal error would otherwise leave the others waiting).
    [[noreturn]] void abort(int code);

private:
    int rank_ = 0, size_ = 1, local_rank_ = 0, local_size_ = 1;
    bool mpi_ = false;
    [[maybe_unused]] int finished_ = 0;  // ranks whose progress has all arrived (MPI only)
    std::array<long, 2> totals_{0, 0};
};

}  // namespace nst::app
