#include "api/live_board.h"

namespace nrp::land_supply {

namespace {

// KEYS[1] board; ARGV: seq, highest, bid_id, bidder, method, increment,
// starting price, ttl ms. Applies only a later sequence number.
const cache::Script kAdvance(R"lua(
local cur = tonumber(redis.call('HGET', KEYS[1], 'seq') or '-1')
if cur >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'highest', ARGV[2], 'bid_id', ARGV[3],
           'bidder', ARGV[4], 'method', ARGV[5], 'increment', ARGV[6], 'starting', ARGV[7])
redis.call('PEXPIRE', KEYS[1], ARGV[8])
return 1
)lua");

// KEYS[1] board. Returns the fields in one atomic read.
const cache::Script kRead(R"lua(
return redis.call('HMGET', KEYS[1], 'seq', 'highest', 'bid_id', 'bidder', 'method',
                  'increment', 'starting')
)lua");

int64_t ToInt(const cache::Reply& r) {
  if (r.type == cache::Reply::Type::kInteger) return r.integer;
  if (r.type == cache::Reply::Type::kString) {
    try {
      return std::stoll(r.str);
    } catch (...) {
      return 0;
    }
  }
  return 0;
}

}  // namespace

LiveBoard::LiveBoard(cache::RedisClient& redis, std::string scope, std::chrono::milliseconds ttl)
    : redis_(redis), scope_(std::move(scope)), ttl_(ttl) {}

std::string LiveBoard::Key(const std::string& offer_id) const {
  return "nrp:" + scope_ + ":board:" + offer_id;
}

Result<bool> LiveBoard::Advance(const std::string& offer_id, const LiveBoardState& s) {
  NRP_ASSIGN_OR_RETURN(
      auto reply,
      redis_.EvalSha(kAdvance, {Key(offer_id)},
                     {std::to_string(s.board.seq), std::to_string(s.board.highest_fen),
                      s.board.highest_bid_id, s.board.highest_bidder_number,
                      std::to_string(static_cast<int>(s.method)), std::to_string(s.increment_fen),
                      std::to_string(s.starting_price_fen), std::to_string(ttl_.count())},
                     cache::Idempotency::kIdempotent));
  return reply.integer == 1;
}

Result<std::optional<LiveBoardState>> LiveBoard::Read(const std::string& offer_id) {
  NRP_ASSIGN_OR_RETURN(auto reply,
                       redis_.EvalSha(kRead, {Key(offer_id)}, {}, cache::Idempotency::kIdempotent));
  if (reply.type != cache::Reply::Type::kArray || reply.elements.size() != 7 ||
      reply.elements[0].is_nil()) {
    return std::optional<LiveBoardState>();
  }
  LiveBoardState s;
  s.board.seq = ToInt(reply.elements[0]);
  s.board.highest_fen = ToInt(reply.elements[1]);
  s.board.highest_bid_id = reply.elements[2].str;
  s.board.highest_bidder_number = reply.elements[3].str;
  s.method = static_cast<SupplyMethod>(ToInt(reply.elements[4]));
  s.increment_fen = ToInt(reply.elements[5]);
  s.starting_price_fen = ToInt(reply.elements[6]);
  return std::optional<LiveBoardState>(s);
}

Status LiveBoard::Remove(const std::string& offer_id) {
  NRP_RETURN_IF_ERROR(redis_.Del({Key(offer_id)}));
  return Ok();
}

}  // namespace nrp::land_supply
