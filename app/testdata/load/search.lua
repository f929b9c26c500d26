-- wrk script: search API requests with two words drawn from a bilingual vocabulary of parts,
-- processes, materials and places, a page of 1 to 3 and either language, so that most requests
-- miss the server's one-minute search cache. Usage (see README, Measured):
--   wrk -t2 -c16 -d30s --latency -s app/testdata/load/search.lua http://127.0.0.1:8080
local words = {
  "khuôn", "dập", "ép phun", "đúc", "rèn", "tiện", "phay", "mài", "hàn", "sơn", "mạ", "nhiệt luyện",
  "bánh răng", "trục", "bulông", "ốc vít", "lò xo", "vỏ", "giá đỡ", "bạc lót", "van", "bơm", "dây điện",
  "nhựa", "cao su", "nhôm", "thép", "đồng", "inox", "bao bì", "nhãn", "khóa kéo", "đế giày", "vải",
  "ô tô", "xe máy", "điện tử", "y tế", "nông nghiệp", "đường sắt", "đóng tàu", "điện lạnh",
  "mould", "stamping", "injection", "casting", "forging", "turning", "milling", "grinding", "welding",
  "painting", "plating", "anodising", "heat treatment", "gears", "shafts", "bolts", "springs",
  "housings", "brackets", "bushings", "valves", "pumps", "wire harness", "plastics", "rubber",
  "aluminium", "steel", "copper", "stainless", "packaging", "labels", "zippers", "soles",
  "automotive", "motorcycle", "electronics", "medical", "agricultural", "railway", "shipbuilding",
  "Đông Anh", "Sóc Sơn", "Thạch Thất", "Quang Minh", "Thăng Long", "Phú Nghĩa", "Hà Nội", "Hải Phòng",
  "ISO 9001", "IATF 16949", "ISO 14001", "CNC", "precision", "assemblies", "services", "components"
}

local function escape(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

request = function()
  local q = words[math.random(#words)] .. " " .. words[math.random(#words)]
  local lang = (math.random(2) == 1) and "vi" or "en"
  local path = "/api/v1/suppliers?q=" .. escape(q) .. "&lang=" .. lang .. "&page=" .. math.random(3) .. "&per_page=20"
  return wrk.format("GET", path)
end
