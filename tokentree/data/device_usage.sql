-- Each device's calls and tokens (this machine's rows have no device: local_device()).
SELECT coalesce(device, local_device()) AS name, count(*)::BIGINT,
       sum(input + output + cache_read + cache_write)::BIGINT
FROM calls
GROUP BY ALL
ORDER BY name
