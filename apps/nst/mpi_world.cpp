// nst batch's process group: MPI (Open MPI, MPICH; launched by mpirun or srun) when built with it, else one
// process. Every collective here is called by every rank in the same order (nst batch's structure ensures it).
#include "mpi_world.hpp"

#include <cstdio>
#include <cstdlib>

#include "nst/error.hpp"

#ifdef NST_HAVE_MPI
#include <mpi.h>
#endif

namespace nst::app {

namespace {

// Set by mpirun (Open MPI), by MPICH's and Intel's launchers, and by srun with PMI or PMIx.
bool launched_by_mpi() {
    for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
        if (std::getenv(v) != nullptr) return true;
    return false;
}

#ifdef NST_HAVE_MPI
constexpr int kProgressTag = 17, kFinishedTag = 18;

void check_mpi(int status, const char* what) {
    if (status != MPI_SUCCESS) throw Error(std::string("MPI: ") + what + " failed");
}
#endif

}  // namespace

MpiWorld::MpiWorld() {
#ifdef NST_HAVE_MPI
    if (!launched_by_mpi()) return;
    check_mpi(MPI_Init(nullptr, nullptr), "MPI_Init");
    mpi_ = true;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    MPI_Comm local;
    check_mpi(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &local),
              "MPI_Comm_split_type");
    MPI_Comm_rank(local, &local_rank_);
    MPI_Comm_size(local, &local_size_);
    MPI_Comm_free(&local);
#else
    if (launched_by_mpi())
        std::fputs(
            "nst: started by an MPI launcher, but this nst was built without MPI: every process runs the whole "
            "batch alone (rebuild with Open MPI's libopenmpi-dev installed)\n",
            stderr);
#endif
}

MpiWorld::~MpiWorld() {
#ifdef NST_HAVE_MPI
    delete static_cast<MPI_Request*>(request_);  // null unless a message was sent and never finished
    if (mpi_) MPI_Finalize();
#endif
}

std::string MpiWorld::description() const {
    if (mpi_) return "MPI, " + std::to_string(size_) + (size_ == 1 ? " rank" : " ranks");
#ifdef NST_HAVE_MPI
    return "one process";
#else
    return "one process (built without MPI)";
#endif
}

void MpiWorld::broadcast(std::string& bytes) {
#ifdef NST_HAVE_MPI
    if (!mpi_) return;
    unsigned long long n = bytes.size();
    check_mpi(MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD), "MPI_Bcast");
    bytes.resize(n);
    for (unsigned long long at = 0; at < n;) {  // in pieces: MPI counts are int
        const int piece = static_cast<int>(std::min<unsigned long long>(n - at, 1ull << 30));
        check_mpi(MPI_Bcast(bytes.data() + at, piece, MPI_BYTE, 0, MPI_COMM_WORLD), "MPI_Bcast");
        at += static_cast<unsigned long long>(piece);
    }
#else
    (void)bytes;
#endif
}

std::vector<long> MpiWorld::all_gather(const std::vector<long>& mine) {
#ifdef NST_HAVE_MPI
    if (!mpi_) return mine;
    const int count = static_cast<int>(mine.size());
    std::vector<int> counts(static_cast<std::size_t>(size_)), offsets(static_cast<std::size_t>(size_));
    check_mpi(MPI_Allgather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Allgather");
    int total = 0;
    for (int r = 0; r < size_; ++r) {
        offsets[static_cast<std::size_t>(r)] = total;
        total += counts[static_cast<std::size_t>(r)];
    }
    std::vector<long> all(static_cast<std::size_t>(total));
    check_mpi(MPI_Allgatherv(mine.data(), count, MPI_LONG, all.data(), counts.data(), offsets.data(), MPI_LONG,
                             MPI_COMM_WORLD),
              "MPI_Allgatherv");
    return all;
#else
    return mine;
#endif
}

long MpiWorld::sum(long value) {
#ifdef NST_HAVE_MPI
    if (!mpi_) return value;
    long total = 0;
    check_mpi(MPI_Allreduce(&value, &total, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD), "MPI_Allreduce");
    return total;
#else
    return value;
#endif
}

void MpiWorld::post_progress(long done, long failed) {
    totals_[0] += done;
    totals_[1] += failed;
}

void MpiWorld::send_progress() {
#ifdef NST_HAVE_MPI
    if (!mpi_ || rank_ == 0 || (totals_[0] == 0 && totals_[1] == 0)) return;
    auto* request = static_cast<MPI_Request*>(request_);
    if (request != nullptr) {
        int done = 0;
        check_mpi(MPI_Test(request, &done, MPI_STATUS_IGNORE), "MPI_Test");
        if (!done) return;  // the last message is still on its way: send these with the next one
    } else {
        request = new MPI_Request;
        request_ = request;
    }
    in_flight_ = totals_;
    totals_ = {0, 0};
    check_mpi(MPI_Isend(in_flight_.data(), 2, MPI_LONG, 0, kProgressTag, MPI_COMM_WORLD, request), "MPI_Isend");
#endif
}

void MpiWorld::finish_progress() {
#ifdef NST_HAVE_MPI
    if (!mpi_) return;
    if (rank_ == 0) {
        receive_progress(true);
        return;
    }
    if (auto* request = static_cast<MPI_Request*>(request_)) {
        check_mpi(MPI_Wait(request, MPI_STATUS_IGNORE), "MPI_Wait");
        delete request;
        request_ = nullptr;
    }
    check_mpi(MPI_Send(totals_.data(), 2, MPI_LONG, 0, kFinishedTag, MPI_COMM_WORLD), "MPI_Send");
    totals_ = {0, 0};
#endif
}

std::array<long, 2> MpiWorld::progress() {
    receive_progress(false);
    return totals_;
}

// Rank 0: adds the messages that have arrived (wait: until every other rank's "finished" has). A rank's
// messages arrive in the order sent, so its "finished" comes after all its progress.
void MpiWorld::receive_progress(bool wait) {
#ifdef NST_HAVE_MPI
    while (mpi_ && rank_ == 0 && finished_ < size_ - 1) {
        int arrived = 0;
        MPI_Status status;
        if (wait) {
            check_mpi(MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &status), "MPI_Probe");
        } else {
            check_mpi(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &status), "MPI_Iprobe");
            if (!arrived) break;
        }
        long counts[2];
        check_mpi(MPI_Recv(counts, 2, MPI_LONG, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
                  "MPI_Recv");
        totals_[0] += counts[0];
        totals_[1] += counts[1];
        if (status.MPI_TAG == kFinishedTag) ++finished_;
    }
#else
    (void)wait;
#endif
}

void MpiWorld::abort(int code) {
#ifdef NST_HAVE_MPI
    if (mpi_) MPI_Abort(MPI_COMM_WORLD, code);
#endif
    std::exit(code);
}

}  // namespace nst::app
