// The processes of one `nst batch` run: the ranks of an MPI job when nst was built with MPI and started by
// mpirun or srun, else this process alone (a world of one, with the same calls). Only what nst batch needs:
// who am I, rank 0's bytes everywhere, gathering and summing, and progress sent to rank 0 without waiting.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace nst::app {

class MpiWorld {
public:
    // Joins the MPI job when a launcher started this process (Open MPI's, or Slurm's/PMIx's variables are
    // set) and nst was built with MPI; otherwise a world of one.
    MpiWorld();
    ~MpiWorld();
    MpiWorld(const MpiWorld&) = delete;
    MpiWorld& operator=(const MpiWorld&) = delete;

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

    // Counts (done, failed) of inputs just finished. Rank 0 adds them to its totals; the other ranks keep them
    // until send_progress(), which sends what is kept to rank 0 unless its previous message is still on the
    // way (then they wait for the next call): at most one message per rank is ever in flight, so a rank never
    // blocks on rank 0, whatever rank 0 is doing.
    void post_progress(long done, long failed);
    void send_progress();
    // Every rank calls it once at the end: ranks other than 0 send what they kept with a "finished" mark; rank 0
    // receives until every rank has finished. Before any collective that follows the work.
    void finish_progress();
    // Rank 0: the totals of every rank's posts received so far (without waiting).
    std::array<long, 2> progress();

    // Ends every rank's process with `code` (one rank's fatal error would otherwise leave the others waiting).
    [[noreturn]] void abort(int code);

private:
    int rank_ = 0, size_ = 1, local_rank_ = 0, local_size_ = 1;
    bool mpi_ = false;
    void receive_progress(bool wait);
    [[maybe_unused]] int finished_ = 0;                     // ranks whose progress has all arrived (MPI only)
    std::array<long, 2> totals_{0, 0};                      // rank 0: everyone's; other ranks: kept, not yet sent
    [[maybe_unused]] std::array<long, 2> in_flight_{0, 0};  // the message in flight's counts (MPI only)
    [[maybe_unused]] void* request_ = nullptr;              // the message in flight (an MPI_Request), if any
};

}  // namespace nst::app
