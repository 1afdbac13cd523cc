-- Argo CD health of a GridSearch (resource.customizations.health.gridsearch.dev_GridSearch in argocd-cm).
local hs = {status = "Progressing", message = "waiting for the operator to report a status"}
if obj.status == nil or obj.status.phase == nil then
  return hs
end
-- A status older than the spec says nothing about the spec: wait for the operator to see the change.
local generation = obj.metadata and obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.message = "waiting for the operator to observe generation " .. generation
  return hs
end
local phase = obj.status.phase
local progress = obj.status.progress or ""
local message = nil
if obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Ready" and c.message ~= nil then
      message = c.message
    end
  end
end
if phase == "Succeeded" then
  hs.status = "Healthy"
elseif phase == "Failed" then
  hs.status = "Degraded"
elseif phase == "Suspended" then
  hs.status = "Suspended"
else
  -- Pending, Running, and any phase a newer operator may add: still working.
  hs.status = "Progressing"
end
hs.message = message or (phase .. " " .. progress)
return hs
