#include "nrp/auction/live_board.h"

namespace nrp::auction {

namespace {

// KEYS[1] board; ARGV: seq, highest, bid_id, bidder, method, increment, starting price, ttl ms.
// Applies only a later sequence number.
const cache::Script kAdvance(R"lua(
local cur = tonumber(redis.call('HGET', KEYS[1], 'seq') or '-1')
if cur >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'highest', ARGV[2], 'bid_id', ARGV[3],
           'bidder', ARGV[4], 'auction_method', ARGV[5], 'increment', ARGV[6],
           'starting', ARGV[7])
redis.call('PEXPIRE', KEYS[1], ARGV[8])
return 1
)lua");

// KEYS[1] board. Returns the fields in one atomic read.
const cache::Script kRead(R"lua(
return redis.call('HMGET', KEYS[1], 'seq', 'highest', 'bid_id', 'bidder', 'auction_method',
                  'increment', 'starting')
)lua");

const char* MethodText(Method m) {
  switch (m) {
    case Method::kTender:
      return "tender";
    case Method::kAuction:
      return "auction";
    case Method::kListing:
      return "listing";
  }
  return "auction";
}

std::optional<Method> MethodFrom(const std::string& text) {
  if (text == "tender") return Method::kTender;
  if (text == "auction") return Method::kAuction;
  if (text == "listing") return Method::kListing;
  return std::nullopt;
}

std::optional<int64_t> ToInt(const cache::Reply& r) {
  if (r.type == cache::Reply::Type::kInteger) return r.integer;
  if (r.type == cache::Reply::Type::kString) {
    try {
      size_t used = 0;
      int64_t v = std::stoll(r.str, &used);
      if (used == r.str.size()) return v;
    } catch (...) {
    }
  }
  return std::nullopt;
}

}  // namespace

LiveBoard::LiveBoard(cache::RedisClient& redis, std::string scope, std::chrono::milliseconds ttl)
    : redis_(redis), scope_(std::move(scope)), ttl_(ttl) {}

std::string LiveBoard::Key(const std::string& lot_id) const {
  return "nrp:" + scope_ + ":board:" + lot_id;
}

Result<bool> LiveBoard::Advance(const std::string& lot_id, const LiveBoardState& s) {
  NRP_ASSIGN_OR_RETURN(
      auto reply,
      redis_.EvalSha(
          kAdvance, {Key(lot_id)},
          {std::to_string(s.board.seq), std::to_string(s.board.highest_fen), s.board.highest_bid_id,
           s.board.highest_bidder_number, MethodText(s.method), std::to_string(s.increment_fen),
           std::to_string(s.starting_price_fen), std::to_string(ttl_.count())},
          cache::Idempotency::kIdempotent));
  return reply.integer == 1;
}

Result<std::optional<LiveBoardState>> LiveBoard::Read(const std::string& lot_id) {
  NRP_ASSIGN_OR_RETURN(auto reply,
                       redis_.EvalSha(kRead, {Key(lot_id)}, {}, cache::Idempotency::kIdempotent));
  if (reply.type != cache::Reply::Type::kArray || reply.elements.size() != 7) {
    return std::optional<LiveBoardState>();
  }
  const auto& e = reply.elements;
  auto seq = ToInt(e[0]), highest = ToInt(e[1]), increment = ToInt(e[5]), starting = ToInt(e[6]);
  auto method = e[4].is_nil() ? std::nullopt : MethodFrom(e[4].str);
  // A board written by an earlier format, or damaged: not used; the record answers.
  if (!seq || !highest || !increment || !starting || !method) {
    return std::optional<LiveBoardState>();
  }
  LiveBoardState s;
  s.board.seq = *seq;
  s.board.highest_fen = *highest;
  s.board.highest_bid_id = e[2].str;
  s.board.highest_bidder_number = e[3].str;
  s.method = *method;
  s.increment_fen = *increment;
  s.starting_price_fen = *starting;
  return std::optional<LiveBoardState>(s);
}

Status LiveBoard::Remove(const std::string& lot_id) {
  NRP_RETURN_IF_ERROR(redis_.Del({Key(lot_id)}));
  return Ok();
}

Status LiveBoard::FastCheck(const std::optional<LiveBoardState>& board, const std::string& lot_id,
                            const std::string& noun, int64_t amount_fen) {
  if (!board || !IsAscending(board->method) || board->board.seq == 0) return Ok();
  Lot lot;
  lot.id = lot_id;
  lot.noun = noun;
  lot.method = board->method;
  lot.bidding_start = TimePoint::min();
  lot.bidding_end = TimePoint::max();
  lot.starting_price_fen = board->starting_price_fen;
  lot.bid_increment_fen = board->increment_fen;
  return CheckBid(lot, board->board, amount_fen, TimePoint::min(), false);
}

}  // namespace nrp::auction
