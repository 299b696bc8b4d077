namespace Dataphin.OpenApi.Redis;

/// <summary>
/// The one Lua script that keeps a shared budget in Redis: a rate (GCRA: the time of the next free slot) that adapts to throttling answers the
/// way the in-process bucket does (cut to 70 % of an estimate of the real quota, W_max; CUBIC recovery to W_max; a
/// plateau; a gentle probe back to the configured quota), run atomically by Redis for every process of the fleet.
/// <para>
/// A permit is a reservation: the script gives the caller the next free slot and answers how long the caller must
/// wait for it, so a caller makes one round trip per permit and then waits on its own clock, without asking Redis
/// again. The debt of slots already given is kept as time, not as tokens, so a cut of the rate does not stretch it. A reservation whose wait would pass the
/// caller's budget is not made (the answer is the estimated wait). A cancelled caller gives its reservation back.
/// </para>
/// <para>
/// Time comes from the caller (microseconds since the Unix epoch, from the client's <see cref="TimeProvider"/>), not
/// from Redis's TIME, so tests run the script on a fake clock. The script never lets time go backwards (a caller whose
/// clock is behind the last one earns nothing), so machines whose clocks differ by a few milliseconds still share
/// the rate; NTP-synchronised clocks are assumed.
/// </para>
/// </summary>
internal static class RedisBudgetScript
{
    /// <summary>ARGV[1] of a permit request.</summary>
    public const string Acquire = "acquire";

    /// <summary>ARGV[1] of a throttling report.</summary>
    public const string Throttle = "throttle";

    /// <summary>ARGV[1] of a reservation given back.</summary>
    public const string Release = "release";

    /// <summary>ARGV[1] of a read of the shared rate (tests, diagnostics).</summary>
    public const string Read = "read";

    /// <summary>
    /// KEYS[1]: the budget's hash. ARGV: operation, now (µs), configured rate (per second), burst, adaptive (1/0),
    /// then per operation: acquire: the longest wait (µs); throttle: when the throttled attempt's permit was reserved (µs).
    /// ARGV[last]: the key's time to live (ms). Returns { granted or cut (1/0), wait (µs), current rate (text) }.
    /// </summary>
    public const string Text = """
        local key = KEYS[1]
        local op = ARGV[1]
        local now = tonumber(ARGV[2])
        local cfg = tonumber(ARGV[3])
        local burst = tonumber(ARGV[4])
        local adaptive = ARGV[5] == '1'
        local arg = tonumber(ARGV[6])
        local ttl = tonumber(ARGV[7])
        local BETA, SETTLE, SCALE, POWER = 0.7, 0.9, 0.4, 8
        local FIRST_PLATEAU, LONGEST_PLATEAU, PROBE_TIME, SAME_LIMIT = 3, 15, 12, 0.15
        local BIN, BINS = 100000, 10
        local minr = math.min(0.5, cfg)

        local h = {}
        local raw = redis.call('HGETALL', key)
        for i = 1, #raw, 2 do h[raw[i]] = tonumber(raw[i + 1]) end
        if h.ts == nil then
          h = { tat = now, ts = now, r = cfg, w = cfg, k = 0, p = FIRST_PLATEAU, rc = 0, lc = -1, c = cfg, cr = now, bi = math.floor(now / BIN) }
          for i = 0, BINS - 1 do h['b' .. i] = 0 end
        end
        -- Another configured quota (every process should give the same): never above it.
        if h.c ~= cfg then
          h.c = cfg
          if h.rc == 0 then h.w = cfg; h.r = cfg else h.w = math.min(h.w, cfg); h.r = math.min(h.r, cfg) end
        end
        if h.tat == nil then h.tat = now end
        if now < h.ts then now = h.ts end

        local function roll()
          local idx = math.floor(now / BIN)
          if idx > h.bi then
            local steps = math.min(idx - h.bi, BINS)
            for i = 1, steps do h['b' .. ((h.bi + i) % BINS)] = 0 end
            h.bi = idx
          end
        end

        local function advance()
          h.ts = now
          if h.rc == 1 then
            local t = (now - h.lc) / 1e6
            if t < h.k then
              local d = t - h.k
              h.r = math.max(minr, h.w + SCALE * d * d * d)
            elseif t < h.k + h.p or h.w >= cfg then
              h.r = h.w
              if h.w >= cfg then h.rc = 0 end
            else
              local probe = h.w + (cfg - h.w) * (((t - h.k - h.p) / PROBE_TIME) ^ POWER)
              if probe >= cfg then h.r = cfg; h.rc = 0 else h.r = probe end
            end
          end
        end

        local function save()
          local fields = {}
          for f, v in pairs(h) do fields[#fields + 1] = f; fields[#fields + 1] = string.format('%.17g', v) end
          redis.call('HSET', key, unpack(fields))
          redis.call('PEXPIRE', key, ttl)
        end

        local result = { 0, 0 }
        advance()
        roll()
        local interval = 1e6 / h.r
        if op == 'acquire' then
          -- The next free slot (GCRA): a burst of 'burst' permits when idle, then one every interval. Slots already
          -- given keep their times when the rate changes; only new ones are spaced at the new rate.
          local tat = math.max(h.tat, now) + interval
          local wait = math.max(0, math.ceil(tat - now - burst * interval))
          if wait <= arg then
            h.tat = tat
            h['b' .. (h.bi % BINS)] = h['b' .. (h.bi % BINS)] + 1
            result = { 1, wait }
          else
            result = { 0, wait }
          end
        elseif op == 'release' then
          h.tat = math.max(now, h.tat - interval)
        elseif op == 'throttle' then
          -- arg: when the throttled attempt's permit was reserved; one reserved before the last cut does not cut again.
          if adaptive and arg > h.lc then
            local probing = h.rc == 0 or (now - h.lc) / 1e6 >= h.k + h.p
            local sent = 0
            for i = 0, BINS - 1 do sent = sent + h['b' .. i] end
            local span = (now - math.max((h.bi - BINS + 1) * BIN, h.cr)) / 1e6
            if span < BIN / 1e6 then span = BIN / 1e6 end
            local sending = sent / span
            local measured = h.r
            if sending > 0 then measured = math.min(sending, h.r) end
            local estimate = math.max(minr, math.min(cfg, measured * SETTLE))
            local same = math.abs(estimate - h.w) <= SAME_LIMIT * h.w
            if probing and same then h.p = math.min(LONGEST_PLATEAU, h.p * 2) else h.p = FIRST_PLATEAU end
            h.w = estimate
            h.r = math.max(minr, h.w * BETA)
            h.k = (math.max(0, h.w - h.r) / SCALE) ^ (1 / 3)
            h.lc = now
            h.rc = 1
            result = { 1, 0 }
          end
        end
        save()
        result[3] = string.format('%.6f', h.r)
        return result
        """;
}
