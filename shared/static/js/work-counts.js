// Counts beside the navigation's links: how many things need the user's action (beside Home),
// and beside a few other links (overdue deadlines, notifications to check).
// Progressive enhancement: without JavaScript, or if the count cannot be read, the links stay
// as they are; the home page itself always shows its counts.

const SUMMARY = '/api/v1/work/summary'

export function addCount (link, count) {
  if (!link || !Number.isInteger(count) || count <= 0 || link.querySelector('.app-nav-count')) return
  const tag = document.createElement('strong')
  tag.className = 'govuk-tag govuk-tag--red app-nav-count govuk-!-margin-left-1'
  tag.textContent = String(count)
  const hidden = document.createElement('span')
  hidden.className = 'govuk-visually-hidden'
  hidden.textContent = count === 1 ? ' thing needs your action' : ' things need your action'
  tag.appendChild(hidden)
  link.appendChild(tag)
}

export async function showWorkCounts (root = document) {
  const links = root.querySelectorAll('.govuk-service-navigation__link')
  const home = Array.from(links).find((a) => a.getAttribute('href') === '/home')
  if (!home) return // not signed in, or no home page here
  let summary
  try {
    const response = await fetch(SUMMARY, {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' }
    })
    if (!response.ok) return
    summary = await response.json()
  } catch (error) {
    return
  }
  const counts = (summary && summary.links) || {}
  for (const link of links) {
    addCount(link, counts[link.getAttribute('href')])
  }
}

showWorkCounts()
