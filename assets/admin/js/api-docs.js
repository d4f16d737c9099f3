// The API reference page at /docs (src/api/openapi.ts): renders /openapi.json as a list of operations.
fetch('/openapi.json').then(r=>r.json()).then(doc=>{const main=document.getElementById('ops');main.textContent='';
const esc=s=>String(s).replace(/[&<>]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;'}[c]));
for(const [path,ops] of Object.entries(doc.paths))for(const [m,op] of Object.entries(ops)){const d=document.createElement('section');d.className='op';
const params=(op.parameters||[]).map(p=>'<li><code>'+esc(p.name)+'</code> ('+p.in+(p.required?', required':'')+') '+esc(p.description||'')+'</li>').join('');
const name=c=>c&&c['application/json']?c['application/json'].schema.$ref.split('/').pop():null;
const show=(what,n)=>n?'<details><summary>'+what+': '+n+'</summary><pre>'+esc(JSON.stringify(doc.components.schemas[n],null,2))+'</pre></details>':'';
const [status,answer]=Object.entries(op.responses)[0],type=answer.content&&Object.keys(answer.content)[0];
d.innerHTML='<div><span class="m '+m+'">'+m+'</span><code>'+esc(path)+'</code> '+(op.security?'<span class="lock">🔒 admin</span>':'')+'</div><div>'+esc(op.summary)+'</div>'+(params?'<ul>'+params+'</ul>':'')+
show('Body',name(op.requestBody&&op.requestBody.content))+(name(answer.content)?show(status+' answer',name(answer.content)):'<div class="lock">'+status+' '+esc(type||answer.description)+'</div>');main.appendChild(d)}})
